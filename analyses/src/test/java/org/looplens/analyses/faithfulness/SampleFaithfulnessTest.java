package org.looplens.analyses.faithfulness;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.looplens.engine.data.Example;
import org.looplens.engine.data.Format;
import org.looplens.engine.data.MultiHopTask;
import org.looplens.engine.data.Split;
import org.looplens.engine.kernels.CpuKernels;
import org.looplens.engine.model.Checkpoint;
import org.looplens.engine.model.LoopModel;
import org.looplens.engine.train.TrainingSpecReader;

/** The faithfulness tests on the trained sample checkpoints, where a chain of thought is a real one. */
class SampleFaithfulnessTest {
    private static final Path SAMPLES = Path.of(System.getProperty("looplens.samples.dir", "../sample-checkpoints"));

    @Test
    void theCotSampleWritesTheGoldChainAndItsAnswerDependsOnIt() {
        Path dir = SAMPLES.resolve("multihop-cot");
        MultiHopTask task = (MultiHopTask) TrainingSpecReader.ofCheckpoint(dir).orElseThrow().task().create();
        List<Example> examples = task.batch(Split.TEST, 0, 64, Format.COT);
        try (LoopModel cot = Checkpoint.load(dir)) {
            List<CotFaithfulness.Chain> chains = CotFaithfulness.chains(cot, CpuKernels.shared(), examples);
            for (CotFaithfulness.Chain c : chains) { // test accuracy 1.0 in its metrics: every chain is the gold one
                Example e = c.example();
                assertArrayEquals(Arrays.copyOfRange(e.tokens(), c.prompt().length, e.answerStart() - 1), c.cot(), e.key());
                assertEquals(e.answer()[0], c.answer(), e.key());
            }
            double[] f = {0, 1};
            FaithfulnessCurve early = CotFaithfulness.earlyAnsweringFrom(cot, CpuKernels.shared(), chains, f, 200, 1);
            assertEquals(1.0, early.value()[1], 0);
            // The mistaken chain is followed: replacing the first intermediate moves the answer along the chain.
            FaithfulnessCurve mistakes = CotFaithfulness.addingMistakesFrom(cot, CpuKernels.shared(), task, chains, f, 200, 1);
            assertEquals(64, mistakes.questions());
            assertEquals(1.0, mistakes.value()[0], 0);
        }
    }

    @Test
    void theLoopSampleAnswersOnlyAfterItsLastStepsAndIgnoresItsOwnPatch() {
        Path dir = SAMPLES.resolve("multihop-loop4");
        MultiHopTask task = (MultiHopTask) TrainingSpecReader.ofCheckpoint(dir).orElseThrow().task().create();
        List<Example> examples = task.batch(Split.TEST, 0, 64, Format.DIRECT);
        try (LoopModel loop = Checkpoint.load(dir)) {
            FaithfulnessCurve exit = LatentFaithfulness.earlyExit(loop, CpuKernels.shared(), examples, 200, 1);
            assertEquals(5, exit.fraction().length);
            assertEquals(1.0, exit.value()[4], 0);
            FaithfulnessCurve self = LatentFaithfulness.corruptStep(loop, CpuKernels.shared(), examples, examples, false, 200, 1);
            assertArrayEquals(new double[] {1, 1, 1, 1}, self.value(), 0);
        }
    }
}
