package org.looplens.analyses.lens;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.looplens.analyses.SmallModels;
import org.looplens.engine.kernels.CpuKernels;
import org.looplens.engine.model.LoopModel;
import org.looplens.engine.run.ExitPolicy;
import org.looplens.engine.run.RunOptions;
import org.looplens.engine.tensor.FloatTensor;

/** The lens grids against a direct computation from the step logits, and their invariants. */
class StepLensTest {
    private static final int STEPS = 4;
    private final LoopModel model = SmallModels.random(40, 2, STEPS, 0.5, 11);
    private final int[] tokens = new SplittableRandom(2).ints(9, 0, 40).toArray();

    @Test
    void everyQuantityMatchesADirectComputation() {
        var options = RunOptions.defaults().withExitPolicy(ExitPolicy.qExit(0.5));
        StepLens lens = StepLens.inspect(model, CpuKernels.shared(), tokens, options, 3);
        var run = new org.looplens.engine.run.LoopRunner(model, CpuKernels.shared()).forward(tokens,
                options.withCapture(org.looplens.engine.trace.CapturePlan.kinds(org.looplens.engine.trace.SiteKind.STEP_LOGITS)));
        for (int i = 0; i < tokens.length; i++) {
            double[] pFinal = softmax(run.stepLogits(STEPS - 1), i);
            int answer = argmax(pFinal);
            for (int t = 0; t < STEPS; t++) {
                double[] p = softmax(run.stepLogits(t), i);
                double kl = 0;
                double entropy = 0;
                int rank = 1;
                for (int j = 0; j < p.length; j++) {
                    kl += p[j] * Math.log(p[j] / pFinal[j]);
                    entropy -= p[j] * Math.log(p[j]);
                    rank += p[j] > p[answer] ? 1 : 0;
                }
                assertEquals(p[argmax(p)], lens.value(LensQuantity.TOP1_PROB, i, t), 1e-9);
                assertEquals(entropy, lens.value(LensQuantity.ENTROPY, i, t), 1e-9);
                assertEquals(Math.max(0, kl), lens.value(LensQuantity.KL_TO_FINAL, i, t), 1e-9);
                assertEquals(rank, lens.value(LensQuantity.FINAL_RANK, i, t));
                assertEquals(run.lambda()[t][i], lens.value(LensQuantity.LAMBDA, i, t), 0);
                assertEquals(run.exit().pdf(i, t), lens.value(LensQuantity.EXIT_PDF, i, t), 0);
                assertEquals(p[lens.finalTop()[i][0]], lens.finalTopProbs()[i][0][t], 1e-9);
            }
            assertEquals(answer, lens.finalTop()[i][0]);
            assertEquals(run.exitSteps()[i], lens.exitSteps()[i]);
        }
    }

    @Test
    void invariantsHoldAndExtrapolationIsFlagged() {
        StepLens lens = StepLens.inspect(model, CpuKernels.shared(), tokens, RunOptions.defaults().withSteps(6), 4);
        assertEquals(6, lens.steps());
        assertTrue(lens.extrapolated());
        for (int i = 0; i < tokens.length; i++) {
            double pdfSum = 0;
            for (int t = 0; t < 6; t++) {
                assertTrue(lens.value(LensQuantity.KL_TO_FINAL, i, t) >= 0);
                assertTrue(lens.value(LensQuantity.FINAL_RANK, i, t) >= 1);
                pdfSum += lens.value(LensQuantity.EXIT_PDF, i, t);
            }
            assertEquals(1, pdfSum, 1e-9);
            assertEquals(0, lens.value(LensQuantity.KL_TO_FINAL, i, 5), 1e-12);
            assertEquals(1, lens.value(LensQuantity.FINAL_RANK, i, 5));
            double[] finalProbs = new double[4];
            for (int r = 0; r < 4; r++) {
                finalProbs[r] = lens.finalTopProbs()[i][r][5];
            }
            for (int r = 1; r < 4; r++) {
                assertTrue(finalProbs[r] <= finalProbs[r - 1], "final top-k in order");
            }
        }
        String[] csv = lens.toCsv().split("\n");
        assertEquals(1 + tokens.length * 6, csv.length);
    }

    @Test
    void decisionStepAndFlipsFollowTheTop1Sequence() {
        StepLens lens = StepLens.inspect(model, CpuKernels.shared(), tokens, RunOptions.defaults().withSteps(6), 3);
        int checked = 0;
        for (int i = 0; i < tokens.length; i++) {
            int[] top1 = lens.readout().positions().get(i).steps().stream().mapToInt(s -> s.top1()).toArray();
            int flips = 0;
            for (int t = 1; t < top1.length; t++) {
                flips += top1[t] != top1[t - 1] ? 1 : 0;
            }
            assertEquals(flips, lens.answerFlips(i));
            int decided = lens.decisionStep(i);
            for (int t = decided; t < top1.length; t++) {
                assertEquals(top1[top1.length - 1], top1[t], "settled from step " + decided);
            }
            if (decided > 0) {
                assertTrue(top1[decided - 1] != top1[top1.length - 1], "the step before the decision differs");
                checked++;
            }
        }
        assertTrue(checked > 0, "some position changes its mind, or the test shows nothing");
    }

    private static double[] softmax(FloatTensor logits, int row) {
        int v = logits.dim(1);
        double max = Double.NEGATIVE_INFINITY;
        for (int j = 0; j < v; j++) {
            max = Math.max(max, logits.data()[row * v + j]);
        }
        double[] p = new double[v];
        double sum = 0;
        for (int j = 0; j < v; j++) {
            p[j] = Math.exp(logits.data()[row * v + j] - max);
            sum += p[j];
        }
        for (int j = 0; j < v; j++) {
            p[j] /= sum;
        }
        return p;
    }

    private static int argmax(double[] p) {
        int best = 0;
        for (int j = 1; j < p.length; j++) {
            if (p[j] > p[best]) {
                best = j;
            }
        }
        return best;
    }
}
