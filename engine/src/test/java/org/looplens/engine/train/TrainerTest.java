package org.looplens.engine.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.looplens.engine.kernels.CpuKernels;
import org.looplens.engine.model.Checkpoint;
import org.looplens.engine.model.LoopModel;
import org.looplens.engine.model.WeightNames;

/** Training runs: determinism, cancel-and-resume bit identity, divergence stops, run records. */
class TrainerTest {
    @TempDir
    Path tmp;

    private TrainingOutcome train(String spec, Path dir, TrainingListener listener) throws Exception {
        return new Trainer(TrainingSpecs.load(spec, tmp), dir, CpuKernels.shared(), listener).run();
    }

    @Test
    void theSameSpecAndSeedGiveABitIdenticalRun() throws Exception {
        String spec = TrainingSpecs.tiny(12, 0, 3e-3);
        assertEquals(TrainingOutcome.Status.FINISHED, train(spec, tmp.resolve("a"), null).status());
        assertEquals(TrainingOutcome.Status.FINISHED, train(spec, tmp.resolve("b"), null).status());
        assertArrayEquals(Files.readAllBytes(tmp.resolve("a/model.safetensors")),
                Files.readAllBytes(tmp.resolve("b/model.safetensors")));
        assertArrayEquals(Files.readAllBytes(tmp.resolve("a/optimizer.safetensors")),
                Files.readAllBytes(tmp.resolve("b/optimizer.safetensors")));
    }

    @Test
    void cancelledAndResumedRunEqualsAnUninterruptedOne() throws Exception {
        String spec = TrainingSpecs.tiny(12, 5, 3e-3);
        train(spec, tmp.resolve("whole"), null);

        Path dir = tmp.resolve("interrupted");
        Trainer[] holder = new Trainer[1];
        holder[0] = new Trainer(TrainingSpecs.load(spec, tmp), dir, CpuKernels.shared(), new TrainingListener() {
            @Override
            public void checkpointed(int step, Path folder) {
                if (step == 5) {
                    holder[0].cancel(); // step 5 is not a multiple of logEvery (2): a record is half summed
                }
            }
        });
        TrainingOutcome cancelled = holder[0].run();
        assertEquals(TrainingOutcome.Status.CANCELLED, cancelled.status());
        assertEquals(5, cancelled.step());
        assertTrue(Files.isDirectory(dir.resolve("checkpoints/step-0000005")));
        assertFalse(Files.exists(dir.resolve("model.safetensors")), "an unfinished run has no final model");

        List<Integer> resumedAt = new ArrayList<>();
        TrainingOutcome resumed = new Trainer(TrainingSpecs.load(spec, tmp), dir, CpuKernels.shared(),
                new TrainingListener() {
                    @Override
                    public void started(String name, int startStep, int totalSteps) {
                        resumedAt.add(startStep);
                    }
                }).run();
        assertEquals(TrainingOutcome.Status.FINISHED, resumed.status());
        assertEquals(List.of(5), resumedAt);
        assertArrayEquals(Files.readAllBytes(tmp.resolve("whole/model.safetensors")),
                Files.readAllBytes(dir.resolve("model.safetensors")));
        assertArrayEquals(Files.readAllBytes(tmp.resolve("whole/optimizer.safetensors")),
                Files.readAllBytes(dir.resolve("optimizer.safetensors")));
        assertEquals(records(tmp.resolve("whole/metrics.jsonl")), records(dir.resolve("metrics.jsonl")),
                "the resumed log holds the same records as the uninterrupted one");
    }

    @Test
    void aFinishedRunIsNotTrainedAgainAndADifferentSpecIsRefused() throws Exception {
        String spec = TrainingSpecs.tiny(4, 0, 3e-3);
        Path dir = tmp.resolve("run");
        train(spec, dir, null);
        byte[] before = Files.readAllBytes(dir.resolve("model.safetensors"));
        assertEquals(TrainingOutcome.Status.ALREADY_COMPLETE, train(spec, dir, null).status());
        assertArrayEquals(before, Files.readAllBytes(dir.resolve("model.safetensors")));
        var e = org.junit.jupiter.api.Assertions.assertThrows(org.looplens.engine.InvalidInputException.class,
                () -> train(TrainingSpecs.tiny(5, 0, 3e-3), dir, null));
        assertTrue(e.getMessage().contains("different spec"), e.getMessage());
    }

    @Test
    void nonFiniteLossStopsTheRunAndKeepsTheLastGoodCheckpoint() throws Exception {
        Path dir = tmp.resolve("diverging");
        TrainingOutcome o = train(TrainingSpecs.tiny(20, 1, 1e30), dir, null);
        assertEquals(TrainingOutcome.Status.DIVERGED, o.status());
        assertTrue(o.message().contains("non-finite"), o.message());
        assertTrue(o.message().contains("last good checkpoint"), o.message());
        Path last = dir.resolve(String.format("checkpoints/step-%07d", o.step()));
        assertTrue(o.message().contains(last.toString()), o.message());
        LoopModel kept = Checkpoint.load(last);
        assertTrue(kept.warnings().isEmpty(), "the kept checkpoint is finite: " + kept.warnings());
        assertFalse(Files.exists(dir.resolve("model.safetensors")));
    }

    @Test
    void stageTwoChangesOnlyTheExitGate() throws Exception {
        Path dir = tmp.resolve("two");
        String spec = TrainingSpecs.tiny(6, 6, 3e-3);
        train(spec, dir, null);
        LoopModel afterStageOne = Checkpoint.load(dir.resolve("checkpoints/step-0000006"));
        LoopModel done = Checkpoint.load(dir);
        var before = WeightNames.arrays(afterStageOne.config(), afterStageOne.weights());
        var after = WeightNames.arrays(done.config(), done.weights());
        for (var e : before.entrySet()) {
            boolean gate = e.getKey().equals(WeightNames.GATE_WEIGHT) || e.getKey().equals(WeightNames.GATE_BIAS);
            if (gate) {
                assertFalse(java.util.Arrays.equals(e.getValue(), after.get(e.getKey())), e.getKey() + " should train");
            } else {
                assertArrayEquals(e.getValue(), after.get(e.getKey()), e.getKey() + " must stay frozen in Stage II");
            }
        }
    }

    @Test
    void runFolderHoldsTheCheckpointLayoutAndTheRecords() throws Exception {
        Path dir = tmp.resolve("layout");
        train(TrainingSpecs.tiny(6, 3, 3e-3), dir, null);
        for (String f : List.of("config.json", "model.safetensors", "tokenizer.json", "generation_config.json",
                "training.json", "metrics.json", "metrics.jsonl", "optimizer.safetensors")) {
            assertTrue(Files.isRegularFile(dir.resolve(f)), f);
        }
        var special = org.looplens.engine.data.TokenizerSettings.read(dir);
        assertEquals(java.util.OptionalInt.of(1), special.bosTokenId());
        assertEquals(List.of(2), special.eosTokenIds());
        ObjectMapper json = new ObjectMapper();
        JsonNode metrics = json.readTree(dir.resolve("metrics.json").toFile());
        assertEquals(16, metrics.path("test").path("examples").asInt());
        assertEquals(3, metrics.path("test").path("accuracyByStep").size());
        JsonNode training = json.readTree(dir.resolve("training.json").toFile());
        assertTrue(training.path("complete").asBoolean());
        assertEquals(9, training.path("globalStep").asInt());
        JsonNode first = json.readTree(Files.readAllLines(dir.resolve("metrics.jsonl")).get(0));
        assertEquals(2, first.path("step").asInt());
        assertEquals(3, first.path("stepLosses").size());
        assertNotEquals(0.0, first.path("tokensPerSecond").asDouble());
        assertTrue(first.has("etaSeconds") && first.has("gradNorm") && first.has("learningRate")
                && first.has("expectedDepth") && first.has("exitEntropy") && first.has("meanExitPdf"));
    }

    /** The metric records without their wall-clock fields, which differ from run to run. */
    private static List<JsonNode> records(Path log) throws Exception {
        ObjectMapper json = new ObjectMapper();
        List<JsonNode> out = new ArrayList<>();
        for (String line : Files.readAllLines(log)) {
            var node = (com.fasterxml.jackson.databind.node.ObjectNode) json.readTree(line);
            node.remove(List.of("tokensPerSecond", "elapsedSeconds", "etaSeconds"));
            out.add(node);
        }
        return out;
    }

    @Test
    void aModelShorterThanTheTaskIsRefusedBeforeAnythingIsWritten() throws Exception {
        Path dir = tmp.resolve("short");
        String spec = TrainingSpecs.tiny(4, 0, 3e-3).replace("\"max_position_embeddings\": 32", "\"max_position_embeddings\": 6");
        var e = org.junit.jupiter.api.Assertions.assertThrows(org.looplens.engine.InvalidInputException.class,
                () -> train(spec, dir, null));
        assertTrue(e.getMessage().contains("spec.json") && e.getMessage().contains("max_position_embeddings 6"),
                e.getMessage());
        assertFalse(Files.exists(dir), "nothing written");
    }

    @Test
    void anOptimizerFileThatDoesNotMatchTheModelIsRefusedOnResume() throws Exception {
        String spec = TrainingSpecs.tiny(12, 5, 3e-3);
        Path dir = tmp.resolve("mismatch");
        Trainer[] holder = new Trainer[1];
        holder[0] = new Trainer(TrainingSpecs.load(spec, tmp), dir, CpuKernels.shared(), new TrainingListener() {
            @Override
            public void logged(MetricsRecord r) {
                holder[0].cancel();
            }
        });
        holder[0].run();
        Path optimizer = dir.resolve("checkpoints/step-0000002/optimizer.safetensors");
        org.looplens.engine.io.SafetensorsWriter.write(optimizer, java.util.Map.of("m.model.norm.weight",
                new org.looplens.engine.tensor.FloatTensor(new float[3], 3)), org.looplens.engine.io.DType.F32);
        var e = org.junit.jupiter.api.Assertions.assertThrows(org.looplens.engine.InvalidInputException.class,
                () -> train(spec, dir, null));
        assertTrue(e.getMessage().contains("optimizer.safetensors") && e.getMessage().contains("m.model.norm.weight"),
                e.getMessage());
    }
}
