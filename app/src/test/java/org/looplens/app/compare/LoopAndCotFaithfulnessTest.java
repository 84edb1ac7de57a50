package org.looplens.app.compare;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.looplens.analyses.faithfulness.CotFaithfulness;
import org.looplens.analyses.faithfulness.FaithfulnessCurve;
import org.looplens.analyses.faithfulness.LatentFaithfulness;
import org.looplens.engine.data.Example;
import org.looplens.engine.data.Split;
import org.looplens.engine.data.Task;
import org.looplens.engine.kernels.CpuKernels;
import org.looplens.engine.model.Checkpoint;
import org.looplens.engine.model.LoopModel;
import org.looplens.engine.train.TrainingSpecReader;

/** The suite puts each member kind to its own tests and passes the analyses' curves through unchanged. */
class LoopAndCotFaithfulnessTest {
    private static final Path SAMPLES = Path.of(System.getProperty("looplens.samples.dir", "../sample-checkpoints"));
    private static final int QUESTIONS = 40;
    private final LoopAndCotFaithfulness suite = new LoopAndCotFaithfulness(1.0);

    private static List<Example> examples(Path dir) {
        var task = TrainingSpecReader.ofCheckpoint(dir).orElseThrow().task();
        return task.create().batch(Split.TEST, 0, QUESTIONS, task.format());
    }

    private static Task task(Path dir) {
        return TrainingSpecReader.ofCheckpoint(dir).orElseThrow().task().create();
    }

    @Test
    void aLoopGetsEarlyExitCorruptionAndNoiseAsTheAnalysesComputeThem() {
        Path dir = SAMPLES.resolve("multihop-loop4");
        var member = new ExperimentSpec.Member("loop4", MemberKind.LOOP, 4, null, null);
        List<Example> ex = examples(dir);
        try (LoopModel model = Checkpoint.load(dir)) {
            List<FaithfulnessCurveRow> rows = suite.run(member, task(dir), model, CpuKernels.shared(), ex, 50, 3);
            assertEquals(List.of("early-exit", "corrupt-step", "noise-1.0"),
                    rows.stream().map(FaithfulnessCurveRow::test).toList());
            rows.forEach(r -> assertEquals("loop4", r.model()));
            FaithfulnessCurve direct = LatentFaithfulness.earlyExit(model, CpuKernels.shared(), ex, 50, 3);
            assertArrayEquals(direct.value(), rows.get(0).value(), 0);
            assertArrayEquals(direct.lo(), rows.get(0).lo(), 0);
            assertEquals(direct.areaOverCurve(), rows.get(0).areaOverCurve(), 0);
            assertEquals(1.0, rows.get(0).value()[rows.get(0).value().length - 1], 0, "the last step is the answer");
        }
    }

    @Test
    void aCotModelGetsTheThreeWrittenReasoningTests() {
        Path dir = SAMPLES.resolve("multihop-cot");
        var member = new ExperimentSpec.Member("cot", MemberKind.COT, 1, null, null);
        List<Example> ex = examples(dir);
        try (LoopModel model = Checkpoint.load(dir)) {
            List<FaithfulnessCurveRow> rows = suite.run(member, task(dir), model, CpuKernels.shared(), ex, 50, 3);
            assertEquals(List.of("early-answering", "filler-tokens", "adding-mistakes"),
                    rows.stream().map(FaithfulnessCurveRow::test).toList());
            FaithfulnessCurve direct = CotFaithfulness.earlyAnswering(model, CpuKernels.shared(), ex,
                    LoopAndCotFaithfulness.FRACTIONS, 50, 3);
            assertArrayEquals(direct.value(), rows.get(0).value(), 0);
            assertEquals(1.0, rows.get(0).value()[LoopAndCotFaithfulness.FRACTIONS.length - 1], 0,
                    "the whole chain gives the model's own answer");
            assertTrue(rows.get(2).questions() > 0);
        }
    }

    @Test
    void flatAndDeepModelsHaveNoStepsToTest() {
        Path dir = SAMPLES.resolve("multihop-flat");
        try (LoopModel model = Checkpoint.load(dir)) {
            for (MemberKind kind : new MemberKind[] {MemberKind.FLAT, MemberKind.DEEP}) {
                var member = new ExperimentSpec.Member("m", kind, kind == MemberKind.DEEP ? 4 : 1, null, null);
                assertEquals(List.of(), suite.run(member, task(dir), model, CpuKernels.shared(), examples(dir), 50, 3));
            }
        }
    }
}
