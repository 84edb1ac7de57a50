package org.looplens.analyses.exit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.looplens.analyses.SmallModels;
import org.looplens.analyses.lens.StepLens;
import org.looplens.engine.kernels.CpuKernels;
import org.looplens.engine.model.LoopModel;
import org.looplens.engine.run.LoopRunner;
import org.looplens.engine.run.RunOptions;
import org.looplens.engine.run.RunResult;
import org.looplens.engine.trace.CapturePlan;
import org.looplens.engine.trace.SiteKind;

/** Exit depth per difficulty against sums taken directly over the runs' exit distributions. */
class ExitDepthByDifficultyTest {
    private static final int STEPS = 5;
    private final LoopModel model = SmallModels.random(16, 2, STEPS, 0.8, 21);
    private final List<Question> questions = new ArrayList<>();

    ExitDepthByDifficultyTest() {
        SplittableRandom rng = new SplittableRandom(4);
        for (int i = 0; i < 60; i++) { // one batch, as the analysis runs them
            int difficulty = 1 + i % 3;
            questions.add(new Question(rng.ints(1 + 2 * difficulty, 0, 16).toArray(), rng.nextInt(16), difficulty));
        }
    }

    @Test
    void meansPerDifficultyAreTheRunsOwn() {
        double q = 0.4;
        ExitDepthByDifficulty d = ExitDepthByDifficulty.measure(model, CpuKernels.shared(), questions, q);
        assertArrayEquals(new int[] {1, 2, 3}, d.difficulty());
        assertArrayEquals(new int[] {20, 20, 20}, d.count());
        List<int[]> prompts = questions.stream().map(Question::prompt).toList();
        List<RunResult> runs = new LoopRunner(model, CpuKernels.shared()).forward(prompts,
                RunOptions.defaults().withCapture(CapturePlan.kinds(SiteKind.STEP_LOGITS)));
        double[] expected = new double[3];
        double[] oracle = new double[3];
        double[] qExit = new double[3];
        double[][] stepAccuracy = new double[3][STEPS];
        double[][] oracles = new double[3][20];
        for (int i = 0; i < questions.size(); i++) {
            RunResult run = runs.get(i);
            int last = run.length() - 1;
            int k = questions.get(i).difficulty() - 1;
            double depth = 0;
            for (int t = 0; t < STEPS; t++) {
                depth += (t + 1) * run.exit().pdf(last, t);
            }
            expected[k] += depth / 20;
            oracle[k] += (StepLens.of(run, 1, STEPS).decisionStep(last) + 1) / 20.0;
            oracles[k][i / 3] = StepLens.of(run, 1, STEPS).decisionStep(last) + 1;
            for (int t = 0; t < STEPS; t++) {
                int top = 0;
                for (int v = 1; v < 16; v++) {
                    if (run.stepLogits(t).get(last, v) > run.stepLogits(t).get(last, top)) {
                        top = v;
                    }
                }
                stepAccuracy[k][t] += top == questions.get(i).answer() ? 1 / 20.0 : 0;
            }
            int stop = STEPS - 1;
            for (int t = 0; t < STEPS - 1; t++) {
                if (run.exit().cdf(last, t) >= q) {
                    stop = t;
                    break;
                }
            }
            qExit[k] += (stop + 1) / 20.0;
        }
        assertArrayEquals(expected, d.meanExpectedDepth(), 1e-12);
        assertArrayEquals(oracle, d.meanOracleDepth(), 1e-12);
        assertArrayEquals(qExit, d.meanQExitDepth(), 1e-12);
        for (int k = 0; k < 3; k++) {
            assertArrayEquals(stepAccuracy[k], d.stepAccuracy()[k], 1e-12, "per-step accuracy, difficulty " + (k + 1));
            double mean = java.util.Arrays.stream(oracles[k]).average().orElseThrow();
            double var = java.util.Arrays.stream(oracles[k]).map(x -> (x - mean) * (x - mean)).sum() / 19;
            assertEquals(Math.sqrt(var / 20), d.oracleDepthSe()[k], 1e-12, "standard error, difficulty " + (k + 1));
            assertEquals(d.accuracy()[k], d.stepAccuracy()[k][STEPS - 1], 1e-12, "the last step is the answer");
        }
        assertEquals(4, d.toCsv().split("\n").length);
    }

    @Test
    void qOfOneRunsToTheEndAndQOfZeroStopsAtOnce() {
        ExitDepthByDifficulty all = ExitDepthByDifficulty.measure(model, CpuKernels.shared(), questions, 1.0);
        ExitDepthByDifficulty none = ExitDepthByDifficulty.measure(model, CpuKernels.shared(), questions, 0.0);
        assertArrayEquals(new double[] {STEPS, STEPS, STEPS}, all.meanQExitDepth(), 0);
        assertArrayEquals(new double[] {1, 1, 1}, none.meanQExitDepth(), 0);
        assertArrayEquals(all.meanExpectedDepth(), none.meanExpectedDepth(), 0, "q does not touch the distribution");
        for (double e : all.meanExpectedDepth()) {
            assertEquals(true, e >= 1 && e <= STEPS);
        }
    }
}
