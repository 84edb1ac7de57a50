package org.looplens.acceptance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.looplens.engine.data.Format;
import org.looplens.engine.data.Split;
import org.looplens.engine.kernels.CpuKernels;
import org.looplens.engine.model.Checkpoint;
import org.looplens.engine.model.LoopModel;
import org.looplens.engine.train.Evaluator;
import org.looplens.engine.train.TrainingSpecReader;

/** {@code looplens bench kv-sharing} on the bundled multihop sample, through the real jar. */
class KvSharingBenchTest {
    private static final Path ROOT = Path.of(System.getProperty("looplens.root", "../.."));
    private static final Path SAMPLE = ROOT.resolve("sample-checkpoints/multihop-loop4");
    private static final int QUESTIONS = 64;

    @TempDir
    Path dir;

    @Test
    void fullSharingMatchesTheFullForwardAndSharedModesKeepAQuarterOfTheCache() throws Exception {
        int code = CliProcess.run(List.of("bench", "kv-sharing", "--checkpoint", SAMPLE.toString(),
                "--questions", String.valueOf(QUESTIONS), "--json"), dir.resolve("stdout"), dir.resolve("stderr"));
        assertEquals(0, code, CliProcess.errorLines(dir.resolve("stderr")).toString());
        List<String> lines = Files.readAllLines(dir.resolve("stdout"));
        JsonNode r = new ObjectMapper().readTree(lines.getLast());
        assertEquals(QUESTIONS, r.get("questions").asInt());

        // The engine's own evaluator, on the same test questions, reads the last step's direct answer.
        LoopModel model = Checkpoint.load(SAMPLE);
        var task = TrainingSpecReader.ofCheckpoint(SAMPLE).orElseThrow().task().create();
        double evaluated = new Evaluator(model, CpuKernels.shared()).evaluate(task, Format.DIRECT, Split.TEST, QUESTIONS)
                .accuracyByStep()[model.config().totalUtSteps() - 1];
        assertEquals(evaluated, r.get("full_forward_accuracy").asDouble(), 0.0);

        JsonNode modes = r.get("modes");
        assertEquals(List.of("full", "last-step", "first-step", "mean"),
                List.of(modes.get(0).get("mode").asText(), modes.get(1).get("mode").asText(),
                        modes.get(2).get("mode").asText(), modes.get(3).get("mode").asText()));
        JsonNode full = modes.get(0);
        assertEquals(r.get("full_forward_accuracy").asDouble(), full.get("accuracy").asDouble(), 0.0);
        // 2 layers × (keys + values) × kvDim 64 (4 heads of 16) × 4 bytes = 1024 per step; FULL keeps 4 steps.
        assertEquals(4 * 1024, full.get("bytes_per_token").asLong());
        long longest = full.get("peak_cache_bytes").asLong() / 4096;
        assertEquals(longest * 4096, full.get("peak_cache_bytes").asLong());
        assertTrue(longest >= 3, "decoded sequences have a question: " + longest);
        for (int i = 1; i < 4; i++) {
            JsonNode m = modes.get(i);
            assertEquals(1024, m.get("bytes_per_token").asLong(), m.toString());
            assertEquals(0.25, m.get("memory_ratio").asDouble(), 0.0);
            assertEquals(longest * 1024, m.get("peak_cache_bytes").asLong());
            double a = m.get("accuracy").asDouble();
            assertTrue(a >= 0 && a <= 1, m.toString());
            assertEquals(m.get("correct").asInt() / (double) QUESTIONS, a, 0.0);
        }
    }

    @Test
    void aCheckpointWithoutATrainingSpecIsRefusedByName() throws Exception {
        Path tiny = ROOT.resolve("sample-checkpoints/tiny-random");
        int code = CliProcess.run(List.of("bench", "kv-sharing", "--checkpoint", tiny.toString()),
                dir.resolve("stdout"), dir.resolve("stderr"));
        assertEquals(2, code);
        String err = CliProcess.errorLines(dir.resolve("stderr")).toString();
        assertTrue(err.contains("tiny-random") && err.contains("training.json"), err);
    }
}
