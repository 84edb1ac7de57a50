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

    /** A prefill's lens followed by each decoded token's equals the lens of a full forward. */
    @Test
    void aDecodedLensGrowsIntoTheFullOne() {
        var options = RunOptions.defaults().withExitPolicy(ExitPolicy.qExit(0.5));
        int target = 5;
        StepLens full = StepLens.inspect(model, CpuKernels.shared(), tokens, options, 3, target);
        var session = new org.looplens.engine.run.LoopRunner(model, CpuKernels.shared()).session(StepLens.lensOptions(options));
        StepLens grown = StepLens.of(session.append(java.util.Arrays.copyOf(tokens, 4)), 3, STEPS, target);
        for (int p = 4; p < tokens.length; p++) {
            grown = grown.followedBy(StepLens.of(session.append(tokens[p]), 3, STEPS, target));
        }
        org.junit.jupiter.api.Assertions.assertArrayEquals(tokens, grown.tokens());
        org.junit.jupiter.api.Assertions.assertArrayEquals(full.exitSteps(), grown.exitSteps());
        assertEquals(0, grown.firstPosition());
        for (int i = 0; i < tokens.length; i++) {
            assertEquals(i, grown.readout().positions().get(i).position());
            org.junit.jupiter.api.Assertions.assertArrayEquals(full.finalTop()[i], grown.finalTop()[i]);
            for (int t = 0; t < STEPS; t++) {
                for (LensQuantity q : LensQuantity.values()) {
                    assertEquals(full.value(q, i, t), grown.value(q, i, t), 1e-6, q + " at " + i + "," + t);
                }
            }
            for (int t = 0; t < STEPS - 1; t++) {
                assertEquals(full.stepKl()[i][t], grown.stepKl()[i][t], 1e-6);
                assertEquals(full.latentChange()[i][t], grown.latentChange()[i][t], 1e-6);
            }
        }
        var wrongStart = StepLens.of(new org.looplens.engine.run.LoopRunner(model, CpuKernels.shared())
                .forward(tokens, StepLens.lensOptions(options)), 3, STEPS, target);
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, () -> full.followedBy(wrongStart));
    }

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

    @Test
    void theTargetTokenAndTheStepToStepChangesMatchADirectComputation() {
        int target = 7;
        var options = RunOptions.defaults().withSteps(6);
        StepLens lens = StepLens.inspect(model, CpuKernels.shared(), tokens, options, 2, target);
        var run = new org.looplens.engine.run.LoopRunner(model, CpuKernels.shared()).forward(tokens,
                options.withCapture(org.looplens.engine.trace.CapturePlan.kinds(
                        org.looplens.engine.trace.SiteKind.STEP_LOGITS, org.looplens.engine.trace.SiteKind.STEP_HIDDEN)));
        assertEquals(target, lens.target());
        for (int i = 0; i < tokens.length; i++) {
            for (int t = 0; t < 6; t++) {
                double[] p = softmax(run.stepLogits(t), i);
                int rank = 1;
                for (double pj : p) {
                    rank += pj > p[target] ? 1 : 0;
                }
                assertEquals(p[target], lens.value(LensQuantity.TARGET_PROB, i, t), 1e-12);
                assertEquals(rank, lens.value(LensQuantity.TARGET_RANK, i, t));
                if (t > 0) {
                    double[] before = softmax(run.stepLogits(t - 1), i);
                    double kl = 0;
                    for (int j = 0; j < p.length; j++) {
                        kl += p[j] * Math.log(p[j] / before[j]);
                    }
                    assertEquals(Math.max(0, kl), lens.stepKl()[i][t - 1], 1e-9);
                    float[] now = run.trace().get(org.looplens.engine.trace.Site.step(t,
                            org.looplens.engine.trace.SiteKind.STEP_HIDDEN)).data();
                    float[] prev = run.trace().get(org.looplens.engine.trace.Site.step(t - 1,
                            org.looplens.engine.trace.SiteKind.STEP_HIDDEN)).data();
                    double diff = 0;
                    double norm = 0;
                    for (int j = i * 32; j < (i + 1) * 32; j++) {
                        diff += ((double) now[j] - prev[j]) * ((double) now[j] - prev[j]);
                        norm += (double) now[j] * now[j];
                    }
                    assertEquals(Math.sqrt(diff / norm), lens.latentChange()[i][t - 1], 1e-12);
                }
            }
        }
        assertEquals(LensQuantity.values().length, lens.quantities().size());
        assertEquals(6 + LensQuantity.values().length, lens.toCsv().split("\n")[0].split(",").length);
    }

    @Test
    void withoutATargetTheLensIsAsBefore() {
        StepLens lens = StepLens.inspect(model, CpuKernels.shared(), tokens, RunOptions.defaults(), 2);
        assertEquals(StepLens.NO_TARGET, lens.target());
        assertEquals(java.util.List.of(LensQuantity.TOP1_PROB, LensQuantity.ENTROPY, LensQuantity.LAMBDA,
                LensQuantity.EXIT_PDF, LensQuantity.KL_TO_FINAL, LensQuantity.FINAL_RANK), lens.quantities());
        assertEquals("position,token,step,exit_step,decision_step,answer_flips,top1_prob,entropy,lambda,exit_pdf,"
                + "kl_to_final,final_rank", lens.toCsv().split("\n")[0]);
        var e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> lens.value(LensQuantity.TARGET_PROB, 0, 0));
        assertTrue(e.getMessage().contains("target"), e.getMessage());
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> StepLens.inspect(model, CpuKernels.shared(), tokens, RunOptions.defaults(), 2, 40));
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
