package org.looplens.engine.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.looplens.engine.InvalidInputException;
import org.looplens.engine.config.LoopConfig;
import org.looplens.engine.io.DType;
import org.looplens.engine.io.SafetensorsFile;
import org.looplens.engine.io.SafetensorsWriter;
import org.looplens.engine.tensor.FloatTensor;

/** Saving and loading checkpoint folders, and the refusals and warnings for damaged ones. */
class CheckpointTest {
    private static final String K_PROJ = WeightNames.layer(0, "self_attn.k_proj.weight");

    @TempDir
    Path dir;

    private static LoopConfig tiny(boolean tied) {
        Map<String, Object> fields = new HashMap<>(Map.of("vocab_size", 16, "hidden_size", 8,
                "intermediate_size", 16, "num_hidden_layers", 1, "num_attention_heads", 2,
                "num_key_value_heads", 1, "total_ut_steps", 2));
        fields.put("tie_word_embeddings", tied);
        return LoopConfig.of(fields);
    }

    /** A saved random checkpoint; {@code ckpt} under the temp folder. */
    private Path saved(LoopModel model, DType dtype) {
        Path ckpt = dir.resolve("ckpt");
        Checkpoint.save(model, ckpt, dtype);
        return ckpt;
    }

    private static Map<String, float[]> arrays(LoopModel m) {
        return WeightNames.arrays(m.config(), m.weights());
    }

    /** Reads every tensor of a safetensors file, lets {@code edit} change the map, writes it back (F32). */
    private static void rewrite(Path file, Consumer<Map<String, FloatTensor>> edit) {
        Map<String, FloatTensor> tensors = new LinkedHashMap<>();
        try (SafetensorsFile f = SafetensorsFile.open(file)) {
            for (String name : f.names()) {
                tensors.put(name, f.read(name));
            }
        }
        edit.accept(tensors);
        SafetensorsWriter.write(file, tensors, DType.F32);
    }

    private static InvalidInputException refused(Path ckpt, String... fragments) {
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> Checkpoint.load(ckpt));
        String m = e.getMessage();
        for (String f : fragments) {
            assertTrue(m.contains(f), () -> "no '" + f + "' in: " + m);
        }
        assertFalse(m.contains("\n"), () -> "not one line: " + m);
        return e;
    }

    @Test
    void f32RoundTripIsBitExact() {
        LoopModel model = RandomInit.create(tiny(false), 7);
        LoopModel loaded = Checkpoint.load(saved(model, DType.F32));

        Map<String, float[]> before = arrays(model);
        Map<String, float[]> after = arrays(loaded);
        assertEquals(before.keySet(), after.keySet());
        before.forEach((name, data) -> assertArrayEquals(data, after.get(name), name));
        assertEquals(model.config(), loaded.config());
        assertEquals(List.of(), loaded.warnings());
        assertEquals(dir.resolve("ckpt"), loaded.source().orElseThrow());
    }

    @Test
    void savedFileHoldsEveryExpectedTensorWithItsShape() {
        LoopConfig c = tiny(false);
        Path ckpt = saved(RandomInit.create(c, 7), DType.F32);
        try (SafetensorsFile f = SafetensorsFile.open(ckpt.resolve(Checkpoint.WEIGHTS_FILE))) {
            Map<String, int[]> expected = WeightNames.expectedShapes(c);
            assertEquals(expected.keySet(), f.names());
            expected.forEach((name, shape) -> {
                assertEquals(DType.F32, f.info(name).dtype());
                assertArrayEquals(java.util.Arrays.stream(shape).asLongStream().toArray(), f.info(name).shape(), name);
            });
            assertEquals("pt", f.metadata().get("format"));
        }
    }

    @Test
    void tiedEmbeddingsWriteNoHeadAndShareTheArrayAfterLoad() {
        LoopModel model = RandomInit.create(tiny(true), 7);
        Path ckpt = saved(model, DType.F32);
        try (SafetensorsFile f = SafetensorsFile.open(ckpt.resolve(Checkpoint.WEIGHTS_FILE))) {
            assertFalse(f.contains(WeightNames.LM_HEAD));
            assertTrue(f.contains(WeightNames.EMBED));
        }
        LoopModel loaded = Checkpoint.load(ckpt);
        assertTrue(loaded.config().tieWordEmbeddings());
        assertSame(loaded.weights().embedTokens(), loaded.weights().lmHead());
        assertTrue(loaded.weights().tied());
        assertArrayEquals(model.weights().embedTokens().dense(), loaded.weights().lmHead().dense());
    }

    @Test
    void tiedCheckpointThatAlsoCarriesAHeadLoadsWithoutWarning() {
        LoopModel model = RandomInit.create(tiny(true), 7);
        Path ckpt = saved(model, DType.F32);
        rewrite(ckpt.resolve(Checkpoint.WEIGHTS_FILE), t -> t.put(WeightNames.LM_HEAD, t.get(WeightNames.EMBED).copy()));
        LoopModel loaded = Checkpoint.load(ckpt);
        assertSame(loaded.weights().embedTokens(), loaded.weights().lmHead());
        assertEquals(List.of(), loaded.warnings());
    }

    @Test
    void bf16SaveRoundsEveryWeightToBf16() {
        LoopModel model = RandomInit.create(tiny(false), 7);
        Path ckpt = saved(model, DType.BF16);
        try (SafetensorsFile f = SafetensorsFile.open(ckpt.resolve(Checkpoint.WEIGHTS_FILE))) {
            assertEquals(DType.BF16, f.info(WeightNames.EMBED).dtype());
        }
        LoopModel loaded = Checkpoint.load(ckpt);
        Map<String, float[]> after = arrays(loaded);
        arrays(model).forEach((name, data) -> {
            float[] expected = new float[data.length];
            for (int i = 0; i < data.length; i++) {
                expected[i] = roundToBf16(data[i]);
            }
            assertArrayEquals(expected, after.get(name), name);
        });
        // The random matrices really were rounded: BF16 keeps only 8 significant bits.
        assertNotEquals(model.weights().embedTokens().dense()[0], loaded.weights().embedTokens().dense()[0]);
    }

    /** Round to nearest, ties to even, on the upper 16 bits (finite inputs only). */
    private static float roundToBf16(float f) {
        int bits = Float.floatToRawIntBits(f);
        int rounded = bits + 0x7fff + ((bits >>> 16) & 1);
        return Float.intBitsToFloat(rounded & 0xffff0000);
    }

    @Test
    void missingTensorIsNamedWithTheFile() {
        Path ckpt = saved(RandomInit.create(tiny(false), 7), DType.F32);
        Path weights = ckpt.resolve(Checkpoint.WEIGHTS_FILE);
        rewrite(weights, t -> t.remove(K_PROJ));
        refused(ckpt, weights.toString(), "missing tensor", K_PROJ);
    }

    @Test
    void missingHeadOfAnUntiedModelIsNamed() {
        Path ckpt = saved(RandomInit.create(tiny(false), 7), DType.F32);
        Path weights = ckpt.resolve(Checkpoint.WEIGHTS_FILE);
        rewrite(weights, t -> t.remove(WeightNames.LM_HEAD));
        refused(ckpt, weights.toString(), "missing tensor", WeightNames.LM_HEAD);
    }

    @Test
    void tensorWithTheWrongShapeNamesBothShapes() {
        Path ckpt = saved(RandomInit.create(tiny(false), 7), DType.F32);
        Path weights = ckpt.resolve(Checkpoint.WEIGHTS_FILE);
        rewrite(weights, t -> t.put(K_PROJ, t.get(K_PROJ).reshape(8, 4)));
        refused(ckpt, weights.toString(), K_PROJ, "has shape [8, 4]", "expected [4, 8]");
    }

    @Test
    void nonFiniteWeightsLoadWithAWarningNamingTheTensor() {
        Path ckpt = saved(RandomInit.create(tiny(false), 7), DType.F32);
        rewrite(ckpt.resolve(Checkpoint.WEIGHTS_FILE), t -> {
            t.get(WeightNames.NORM).data()[3] = Float.NaN;
            t.get(K_PROJ).data()[0] = Float.POSITIVE_INFINITY;
            t.get(K_PROJ).data()[5] = Float.NEGATIVE_INFINITY;
        });
        LoopModel loaded = Checkpoint.load(ckpt);
        assertTrue(Float.isNaN(loaded.weights().finalNorm()[3]));
        assertEquals(Float.POSITIVE_INFINITY, loaded.weights().layers().get(0).kProj().dense()[0]);
        List<String> w = loaded.warnings();
        assertEquals(2, w.size(), w.toString());
        assertTrue(w.stream().anyMatch(s -> s.contains("'" + K_PROJ + "'") && s.contains("2 NaN/Inf")), w.toString());
        assertTrue(w.stream().anyMatch(s -> s.contains("'" + WeightNames.NORM + "'") && s.contains("1 NaN/Inf")),
                w.toString());
    }

    @Test
    void unusedTensorLoadsWithAWarningNamingIt() {
        Path ckpt = saved(RandomInit.create(tiny(false), 7), DType.F32);
        rewrite(ckpt.resolve(Checkpoint.WEIGHTS_FILE), t -> t.put("model.rotary_emb.inv_freq", new FloatTensor(new float[2], 2)));
        LoopModel loaded = Checkpoint.load(ckpt);
        assertEquals(1, loaded.warnings().size());
        assertTrue(loaded.warnings().get(0).contains("'model.rotary_emb.inv_freq'"), loaded.warnings().toString());
    }

    @Test
    void missingConfig() throws IOException {
        Path ckpt = saved(RandomInit.create(tiny(false), 7), DType.F32);
        Files.delete(ckpt.resolve(LoopConfig.FILE_NAME));
        refused(ckpt, ckpt.resolve("config.json").toString(), "file not found");
    }

    @Test
    void missingWeights() throws IOException {
        Path ckpt = saved(RandomInit.create(tiny(false), 7), DType.F32);
        Files.delete(ckpt.resolve(Checkpoint.WEIGHTS_FILE));
        refused(ckpt, ckpt.resolve("model.safetensors").toString(), "file not found");
    }

    @Test
    void folderNotFound() {
        Path nowhere = dir.resolve("no-such-checkpoint");
        InvalidInputException e = refused(nowhere, "no-such-checkpoint", "checkpoint folder not found");
        assertEquals(nowhere.toString(), e.source());
    }

    @Test
    void aFileIsNotACheckpointFolder() throws IOException {
        Path file = Files.writeString(dir.resolve("model.bin"), "x");
        refused(file, "model.bin", "not a checkpoint folder");
    }

    @Test
    void saveCreatesMissingParentFolders() {
        LoopModel model = RandomInit.create(tiny(false), 3);
        Path ckpt = dir.resolve("a/b/c");
        Checkpoint.save(model, ckpt, DType.F32);
        assertArrayEquals(model.weights().finalNorm(), Checkpoint.load(ckpt).weights().finalNorm());
    }
}
