package org.looplens.engine.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.foreign.ValueLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.looplens.engine.InvalidInputException;
import org.looplens.engine.TestModels;
import org.looplens.engine.io.DType;
import org.looplens.engine.io.SafetensorsFile;
import org.looplens.engine.io.SafetensorsWriter;
import org.looplens.engine.io.ShardIndex;
import org.looplens.engine.kernels.CpuKernels;
import org.looplens.engine.run.LoopRunner;
import org.looplens.engine.run.RunOptions;
import org.looplens.engine.run.RunResult;
import org.looplens.engine.tensor.FloatTensor;
import org.looplens.engine.tensor.WeightMatrix;
import org.looplens.engine.trace.CapturePlan;

/** Hugging Face sharded checkpoints load exactly as one file does; a damaged index or shard is refused by name. */
class ShardedCheckpointTest {
    @TempDir
    Path dir;

    private final LoopModel model = TestModels.random(TestModels.gqaConfig(), 5);

    /** Small enough that the 2-layer test model spreads over several shards. */
    private static final long SHARD_BYTES = 4_000;

    private Path sharded(DType dtype) {
        Path ckpt = dir.resolve("sharded-" + dtype);
        Checkpoint.saveSharded(model, ckpt, dtype, SHARD_BYTES);
        return ckpt;
    }

    private Path single(DType dtype) {
        Path ckpt = dir.resolve("single-" + dtype);
        Checkpoint.save(model, ckpt, dtype);
        return ckpt;
    }

    private static List<Path> shardFiles(Path ckpt) throws IOException {
        try (Stream<Path> s = Files.list(ckpt)) {
            return s.filter(p -> p.getFileName().toString().matches("model-\\d{5}-of-\\d{5}\\.safetensors")).sorted().toList();
        }
    }

    @Test
    void writerSplitsIntoShardsUnderTheLimitWithAnIndex() throws IOException {
        Path ckpt = sharded(DType.F32);
        List<Path> shards = shardFiles(ckpt);
        assertTrue(shards.size() >= 3, "shards: " + shards);
        assertFalse(Files.exists(ckpt.resolve(Checkpoint.WEIGHTS_FILE)));
        ShardIndex index = ShardIndex.read(ckpt.resolve(ShardIndex.FILE_NAME));
        assertEquals(WeightNames.expectedShapes(model.config()).keySet(), index.weightMap().keySet());
        for (Path p : shards) {
            assertTrue(p.getFileName().toString().endsWith("-of-" + String.format("%05d", shards.size()) + ".safetensors"));
            try (SafetensorsFile f = SafetensorsFile.open(p)) {
                long bytes = f.names().stream().mapToLong(n -> f.info(n).byteLength()).sum();
                // A shard holds more than one tensor only while they fit the limit together.
                assertTrue(f.names().size() == 1 || bytes <= SHARD_BYTES, p + " holds " + bytes + " bytes");
                f.names().forEach(n -> assertEquals(p.getFileName().toString(), index.weightMap().get(n), n));
            }
        }
    }

    @Test
    void f32ShardsLoadBitwiseLikeOneFileAndRunIdentically() {
        LoopModel a = Checkpoint.load(single(DType.F32));
        LoopModel b = Checkpoint.load(sharded(DType.F32));
        assertEquals(List.of(), b.warnings());
        assertEquals(a.config(), b.config());
        Map<String, float[]> wa = WeightNames.arrays(a.config(), a.weights());
        Map<String, float[]> wb = WeightNames.arrays(b.config(), b.weights());
        assertEquals(wa.keySet(), wb.keySet());
        wa.forEach((name, data) -> assertBitwise(data, wb.get(name), name));
        assertSameForward(a, b);
    }

    @Test
    void mappedBf16ShardsAreUsedInPlaceAndRunIdentically() throws IOException {
        try (LoopModel a = Checkpoint.loadMapped(single(DType.BF16));
             LoopModel b = Checkpoint.loadMapped(sharded(DType.BF16))) {
            List<WeightMatrix> ma = matrices(a.weights());
            List<WeightMatrix> mb = matrices(b.weights());
            for (int i = 0; i < ma.size(); i++) {
                assertFalse(mb.get(i).isDense(), "matrix " + i + " is used in place from its shard");
                assertArrayEquals(ma.get(i).bf16().toArray(ValueLayout.JAVA_BYTE), mb.get(i).bf16().toArray(ValueLayout.JAVA_BYTE),
                        "matrix " + i);
            }
            for (int l = 0; l < a.config().numLayers(); l++) {
                assertBitwise(a.weights().layers().get(l).inputNorm(), b.weights().layers().get(l).inputNorm(), "norm " + l);
            }
            assertBitwise(a.weights().exitGateWeight(), b.weights().exitGateWeight(), "gate");
            assertSameForward(a, b);
        }
    }

    private static List<WeightMatrix> matrices(LoopWeights w) {
        List<WeightMatrix> out = new ArrayList<>(List.of(w.embedTokens(), w.lmHead()));
        for (LayerWeights lw : w.layers()) {
            out.addAll(List.of(lw.qProj(), lw.kProj(), lw.vProj(), lw.oProj(), lw.gateProj(), lw.upProj(), lw.downProj()));
        }
        return out;
    }

    private static void assertSameForward(LoopModel a, LoopModel b) {
        RunOptions all = RunOptions.defaults().withCapture(CapturePlan.all());
        int[] tokens = TestModels.tokens(9, a.config().vocabSize(), 3);
        RunResult ra = new LoopRunner(a, CpuKernels.shared()).forward(tokens, all);
        RunResult rb = new LoopRunner(b, CpuKernels.shared()).forward(tokens, all);
        assertEquals(ra.trace().all().keySet(), rb.trace().all().keySet());
        assertFalse(ra.trace().all().isEmpty());
        ra.trace().all().forEach((site, t) -> assertBitwise(t.data(), rb.trace().get(site).data(), site.toString()));
        assertBitwise(ra.output().data(), rb.output().data(), "output");
    }

    private static void assertBitwise(float[] a, float[] b, String what) {
        assertEquals(a.length, b.length, what);
        for (int i = 0; i < a.length; i++) {
            assertEquals(Float.floatToRawIntBits(a[i]), Float.floatToRawIntBits(b[i]), what + "[" + i + "]");
        }
    }

    // --- refusals: each names the file and the field ---

    private Path ckpt;

    private Path index() {
        return ckpt.resolve(ShardIndex.FILE_NAME);
    }

    private InvalidInputException refused(String... fragments) {
        for (boolean mapped : new boolean[] {false, true}) {
            InvalidInputException e = assertThrows(InvalidInputException.class,
                    () -> (mapped ? Checkpoint.loadMapped(ckpt) : Checkpoint.load(ckpt)).close());
            for (String f : fragments) {
                assertTrue(e.getMessage().contains(f), () -> "no '" + f + "' in: " + e.getMessage());
            }
            assertFalse(e.getMessage().contains("\n"), e.getMessage());
        }
        return assertThrows(InvalidInputException.class, () -> Checkpoint.load(ckpt));
    }

    private void writeIndex(String json) throws IOException {
        Files.writeString(index(), json);
    }

    private String indexText() throws IOException {
        return Files.readString(index());
    }

    @Test
    void malformedIndexJsonIsRefusedNamingTheIndex() throws IOException {
        ckpt = sharded(DType.F32);
        writeIndex(indexText().substring(0, 40));
        refused(index().toString(), "not valid JSON");
    }

    @Test
    void indexWithoutWeightMapOrWithANonStringShard() throws IOException {
        ckpt = sharded(DType.F32);
        writeIndex("{\"metadata\": {}}");
        refused(index().toString(), "missing \"weight_map\"");
        writeIndex("{\"weight_map\": {\"model.norm.weight\": 3}}");
        refused(index().toString(), "weight_map['model.norm.weight']", "shard file name");
        writeIndex("{\"weight_map\": {}}");
        refused(index().toString(), "\"weight_map\" is empty");
    }

    @Test
    void duplicateTensorInTheIndexIsRefused() throws IOException {
        ckpt = sharded(DType.F32);
        String text = indexText();
        writeIndex(text.replace("\"weight_map\" : {", "\"weight_map\" : {\n    \"model.norm.weight\" : \"model-00001-of-00009.safetensors\","));
        refused(index().toString(), "not valid JSON", "Duplicate field 'model.norm.weight'");
    }

    @Test
    void missingShardIsNamed() throws IOException {
        ckpt = sharded(DType.F32);
        Path last = shardFiles(ckpt).getLast();
        Files.delete(last);
        refused(index().toString(), "weight_map['", last.getFileName().toString(), "which is not in");
    }

    @Test
    void tensorMissingFromItsShardIsNamed() throws IOException {
        ckpt = sharded(DType.F32);
        Path last = shardFiles(ckpt).getLast();
        String dropped = rewriteShard(last, t -> t.remove(t.keySet().iterator().next()));
        refused(last.toString(), "has no tensor '" + dropped + "'", index().toString(), "weight_map");
    }

    @Test
    void tensorInAShardButMappedElsewhereIsNamed() throws IOException {
        ckpt = sharded(DType.F32);
        List<Path> shards = shardFiles(ckpt);
        Path first = shards.getFirst();
        String moved;
        try (SafetensorsFile f = SafetensorsFile.open(shards.getLast())) {
            moved = f.names().iterator().next();
        }
        FloatTensor copy;
        try (SafetensorsFile f = SafetensorsFile.open(shards.getLast())) {
            copy = f.read(moved);
        }
        rewriteShard(first, t -> t.put(moved, copy));
        refused(first.toString(), "holds tensor '" + moved + "'", "maps to shard '" + shards.getLast().getFileName() + "'");
    }

    @Test
    void tensorInAShardButNotInTheIndexIsNamed() throws IOException {
        ckpt = sharded(DType.F32);
        Path first = shardFiles(ckpt).getFirst();
        rewriteShard(first, t -> t.put("extra.weight", new FloatTensor(new float[] {1}, 1)));
        refused(first.toString(), "holds tensor 'extra.weight'", "does not list");
    }

    @Test
    void shardNamesThatLeaveTheFolderAreRefused() throws IOException {
        ckpt = sharded(DType.F32);
        String text = indexText();
        String firstShard = shardFiles(ckpt).getFirst().getFileName().toString();
        for (String evil : List.of("../" + firstShard, "sub/" + firstShard, "..", "/etc/passwd", "a\\\\b.safetensors")) {
            writeIndex(text.replace("\"" + firstShard + "\"", "\"" + evil + "\""));
            refused(index().toString(), "not a plain file name");
        }
    }

    @Test
    void tensorTheConfigNeedsButNoShardHoldsIsNamedWithTheIndex() throws IOException {
        ckpt = sharded(DType.F32);
        Path last = shardFiles(ckpt).getLast();
        String dropped = rewriteShard(last, t -> t.remove(t.keySet().iterator().next()));
        // Drop it from the index as well: the set is consistent, but incomplete.
        String text = indexText();
        writeIndex(text.replaceAll(",?\\s*\"" + java.util.regex.Pattern.quote(dropped) + "\" : \"[^\"]+\"", ""));
        refused(index().toString(), "missing tensor '" + dropped + "'");
    }

    /** Rewrites a shard (F32) after {@code edit}; returns the first tensor name it had. */
    private static String rewriteShard(Path file, java.util.function.Consumer<Map<String, FloatTensor>> edit) {
        Map<String, FloatTensor> tensors = new LinkedHashMap<>();
        try (SafetensorsFile f = SafetensorsFile.open(file)) {
            for (String name : f.names()) {
                tensors.put(name, f.read(name));
            }
        }
        String first = tensors.keySet().iterator().next();
        edit.accept(tensors);
        SafetensorsWriter.write(file, tensors, DType.F32);
        return first;
    }
}
