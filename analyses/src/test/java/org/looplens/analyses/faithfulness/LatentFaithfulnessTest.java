package org.looplens.analyses.faithfulness;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.looplens.analyses.SmallModels;
import org.looplens.engine.data.Example;
import org.looplens.engine.data.Format;
import org.looplens.engine.data.MultiHopTask;
import org.looplens.engine.data.Split;
import org.looplens.engine.kernels.CpuKernels;
import org.looplens.engine.kernels.Kernels;
import org.looplens.engine.model.LoopModel;
import org.looplens.engine.model.LoopWeights;
import org.looplens.engine.run.ExitPolicy;
import org.looplens.engine.run.LoopRunner;
import org.looplens.engine.run.RunOptions;

class LatentFaithfulnessTest {
    private static final MultiHopTask TASK = new MultiHopTask(8, 2, 2, 3, 0.3, 0.2, 1);
    private static final Kernels K = CpuKernels.shared();
    private static final double[] ALL_ONE = {1, 1, 1};
    private final LoopModel model = SmallModels.random(TASK.vocabulary().size(), 2, 3, 0.5, 12);
    private final List<Example> examples = TASK.batch(Split.TEST, 0, 80, Format.DIRECT); // more than one chunk

    @Test
    void earlyExitReadsEveryStepAndStepZeroIsTheNormedEmbedding() {
        List<int[]> prompts = LatentFaithfulness.prompts(examples);
        int[][] answers = LatentFaithfulness.stepAnswers(model, K, prompts);
        LoopRunner runner = new LoopRunner(model, K);
        for (int q = 0; q < prompts.size(); q += 7) {
            for (int t = 1; t <= 3; t++) {
                RunOptions at = RunOptions.defaults().withExitPolicy(ExitPolicy.fixedStep(t - 1));
                assertEquals(Answers.lastArgmax(runner.forward(prompts.get(q), at).output()), answers[q][t]);
            }
            int[] p = prompts.get(q);
            assertEquals(embeddingReadout(p[p.length - 1]), answers[q][0]);
        }
        FaithfulnessCurve c = LatentFaithfulness.earlyExit(model, K, examples, 100, 1);
        assertArrayEquals(new double[] {0, 1.0 / 3, 2.0 / 3, 1}, c.fraction(), 0);
        assertEquals(1.0, c.value()[3], 0);
        assertEquals(1.0, c.lo()[3], 0);
        assertEquals(examples.size(), c.questions());
    }

    /** head(norm(embedding)) by hand, in doubles. */
    private int embeddingReadout(int token) {
        LoopWeights w = model.weights();
        int h = model.config().hiddenSize();
        float[] x = new float[h];
        w.embedTokens().copyRow(token, x, 0);
        double ss = 0;
        for (float v : x) {
            ss += v * v;
        }
        double inv = 1 / Math.sqrt(ss / h + model.config().rmsNormEps());
        int best = -1;
        double bestLogit = Double.NEGATIVE_INFINITY;
        float[] row = new float[h];
        for (int j = 0; j < model.config().vocabSize(); j++) {
            w.lmHead().copyRow(j, row, 0);
            double logit = 0;
            for (int i = 0; i < h; i++) {
                logit += row[i] * x[i] * inv * w.finalNorm()[i];
            }
            if (logit > bestLogit) {
                bestLogit = logit;
                best = j;
            }
        }
        return best;
    }

    @Test
    void patchingAQuestionWithItsOwnStateChangesNothing() {
        for (boolean all : new boolean[] {false, true}) {
            FaithfulnessCurve c = LatentFaithfulness.corruptStep(model, K, examples, examples, all, 50, 1);
            assertArrayEquals(ALL_ONE, c.value(), 0);
            assertArrayEquals(new double[] {1.0 / 3, 2.0 / 3, 1}, c.fraction(), 0);
        }
    }

    @Test
    void patchingEveryPositionHandsTheRestOfTheRunToTheDonor() {
        // A step sees only the previous step's state: replaced everywhere, the run is the donor's.
        List<Example> donors = new ArrayList<>(examples.subList(1, examples.size()));
        donors.add(examples.get(0));
        List<Example> kept = new ArrayList<>();
        List<Example> paired = new ArrayList<>();
        for (int i = 0; i < examples.size(); i++) {
            if (examples.get(i).length() == donors.get(i).length()) {
                kept.add(examples.get(i));
                paired.add(donors.get(i));
            }
        }
        FaithfulnessCurve c = LatentFaithfulness.corruptStep(model, K, kept, paired, true, 50, 1);
        assertArrayEquals(ALL_ONE, c.value(), 0);
        FaithfulnessCurve one = LatentFaithfulness.corruptStep(model, K, examples, 50, 1);
        assertTrue(one.questions() > 0 && one.questions() <= examples.size());
        assertEquals("corrupt-step", one.test());
        assertThrows(IllegalArgumentException.class,
                () -> LatentFaithfulness.corruptStep(model, K, examples, examples.subList(1, 2), false, 5, 1));
    }

    @Test
    void zeroNoiseChangesNothingAndNoiseIsSeeded() {
        assertArrayEquals(ALL_ONE, LatentFaithfulness.noise(model, K, examples, 0, 50, 1).value(), 0);
        FaithfulnessCurve a = LatentFaithfulness.noise(model, K, examples, 2.0, 50, 9);
        FaithfulnessCurve b = LatentFaithfulness.noise(model, K, examples, 2.0, 50, 9);
        assertEquals(a.toCsv(), b.toCsv());
        assertThrows(IllegalArgumentException.class, () -> LatentFaithfulness.noise(model, K, examples, -1, 5, 1));
        assertThrows(IllegalArgumentException.class, () -> LatentFaithfulness.noise(model, K, examples, Double.NaN, 5, 1));
    }

    @Test
    void cotExamplesAreRefused() {
        assertThrows(IllegalArgumentException.class,
                () -> LatentFaithfulness.earlyExit(model, K, TASK.batch(Split.TEST, 0, 2, Format.COT), 5, 1));
    }
}
