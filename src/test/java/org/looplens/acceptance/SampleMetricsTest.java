package org.looplens.acceptance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.looplens.app.cli.LoopLensCli;
import org.looplens.engine.data.Format;
import org.looplens.engine.data.Split;
import org.looplens.engine.data.Task;
import org.looplens.engine.data.TaskSpec;
import org.looplens.engine.kernels.CpuKernels;
import org.looplens.engine.model.Checkpoint;
import org.looplens.engine.model.LoopModel;
import org.looplens.engine.train.Evaluation;
import org.looplens.engine.train.Evaluator;

/**
 * The trained samples open in {@code looplens inspect}, and the held-out numbers in their
 * metrics.json are what a fresh evaluation of the committed weights gives.
 */
class SampleMetricsTest {
    private static final Path SAMPLES = Path.of(System.getProperty("looplens.root", "../..")).resolve("sample-checkpoints");

    /**
     * Float sums may round differently on a machine with another SIMD width, which can flip an
     * answer whose top two logits tie to the last bit; one example per difficulty is allowed for it.
     */
    private static final int EXAMPLES_OF_SLACK = 1;

    @ParameterizedTest
    @ValueSource(strings = {"multihop-loop4", "multihop-flat", "multihop-cot", "modarith-loop4"})
    void metricsMatchAReEvaluation(String name) throws Exception {
        Path dir = SAMPLES.resolve(name);
        JsonNode metrics = new ObjectMapper().readTree(dir.resolve("metrics.json").toFile());
        TaskSpec taskSpec = TaskSpec.fromJson(metrics.get("task"), name + "/metrics.json: task");
        Task task = taskSpec.create();
        LoopModel model = Checkpoint.load(dir);
        JsonNode test = metrics.get("test");
        int examples = test.get("examples").asInt();
        Evaluation again = new Evaluator(model, CpuKernels.shared()).evaluate(task, taskSpec.format(), Split.TEST, examples);

        assertEquals(examples, again.examples());
        for (Iterator<Map.Entry<String, JsonNode>> it = test.get("byDifficulty").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            int difficulty = Integer.parseInt(e.getKey());
            double[] now = again.byDifficulty().get(difficulty);
            int count = again.countByDifficulty().get(difficulty);
            assertEquals(test.get("countByDifficulty").get(e.getKey()).asInt(), count);
            for (int t = 0; t < now.length; t++) {
                assertEquals(e.getValue().get(t).asDouble(), now[t], (EXAMPLES_OF_SLACK + 1e-9) / count,
                        name + ": accuracy at difficulty " + difficulty + ", step " + t);
            }
        }
        assertEquals(taskSpec.format() == Format.COT ? "cot" : "direct", metrics.get("format").asText());
    }

    @ParameterizedTest
    @ValueSource(strings = {"multihop-loop4", "multihop-flat", "multihop-cot", "modarith-loop4"})
    void samplesOpenInInspect(String name) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = LoopLensCli.execute(new String[] {"inspect", "--checkpoint", SAMPLES.resolve(name).toString(),
                "--tokens", "1,4,5,6"}, new PrintWriter(out), new PrintWriter(err));
        assertEquals(0, code, err.toString());
        assertTrue(out.toString().lines().count() >= 6, out.toString());
    }
}
