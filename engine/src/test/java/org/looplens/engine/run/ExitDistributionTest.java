package org.looplens.engine.run;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.looplens.engine.TestModels;
import org.looplens.engine.kernels.CpuKernels;
import org.looplens.engine.model.LoopModel;
import org.looplens.engine.trace.CapturePlan;
import org.looplens.engine.trace.SiteKind;

/** The exit distribution by hand, and each exit policy's output against the step logits. */
class ExitDistributionTest {

    @Test
    void matchesTheFormulaByHand() {
        // One position, λ = 0.2, 0.5, 0.9 over three steps.
        ExitDistribution d = ExitDistribution.fromLambda(new float[][] {{0.2f}, {0.5f}, {0.9f}});
        double p0 = 0.2f;
        double p1 = 0.5 * (1.0 - 0.2f);
        double p2 = (1.0 - 0.2f) * 0.5;
        assertEquals(p0, d.pdf(0, 0), 1e-12);
        assertEquals(p1, d.pdf(0, 1), 1e-12);
        assertEquals(p2, d.pdf(0, 2), 1e-12, "the last step takes the remaining mass, ignoring its own λ");
        assertEquals(1.0, d.cdf(0, 2), 1e-12);
        assertEquals(p0 + p1, d.cdf(0, 1), 1e-12);
        assertEquals((1.0 - 0.2f) * 0.5, d.survival(0, 1), 1e-12);
        assertEquals(d.survival(0, 1), d.survival(0, 2), 0, "last survival column repeats S_(T-2)");
        double h = -(p0 * Math.log(p0) + p1 * Math.log(p1) + p2 * Math.log(p2));
        assertEquals(h, d.entropy(0), 1e-12);
        assertEquals(p0 * 1 + p1 * 2 + p2 * 3, d.expectedDepth(0), 1e-12);
        assertEquals(0, d.exitStep(0, 0.1));
        assertEquals(0, d.exitStep(0, 0.2f));
        assertEquals(1, d.exitStep(0, 0.5));
        assertEquals(2, d.exitStep(0, 0.61));
        assertEquals(2, d.exitStep(0, 1.0));
    }

    @Test
    void oneStepPutsAllMassOnIt() {
        ExitDistribution d = ExitDistribution.fromLambda(new float[][] {{0.7f, 0.1f}});
        assertEquals(1.0, d.pdf(0, 0));
        assertEquals(1.0, d.pdf(1, 0));
        assertEquals(0.0, d.entropy(0));
    }

    @Test
    void exitPoliciesReportTheRightStepLogits() {
        LoopModel model = TestModels.random(TestModels.tiedConfig(), 3);
        LoopRunner runner = new LoopRunner(model, CpuKernels.shared());
        int[] tokens = TestModels.tokens(9, 29, 8);
        RunOptions base = RunOptions.defaults().withCapture(CapturePlan.kinds(SiteKind.STEP_LOGITS));
        RunResult last = runner.forward(tokens, base);
        int vocab = model.config().vocabSize();
        assertArrayEquals(last.stepLogits(3).data(), last.output().data());

        RunResult fixed = runner.forward(tokens, base.withExitPolicy(ExitPolicy.fixedStep(1)));
        assertArrayEquals(last.stepLogits(1).data(), fixed.output().data());

        double q = 0.6;
        RunResult qexit = runner.forward(tokens, base.withExitPolicy(ExitPolicy.qExit(q)));
        for (int i = 0; i < tokens.length; i++) {
            int t = last.exit().exitStep(i, q);
            assertEquals(t, qexit.exitSteps()[i]);
            float[] want = java.util.Arrays.copyOfRange(last.stepLogits(t).data(), i * vocab, (i + 1) * vocab);
            float[] got = java.util.Arrays.copyOfRange(qexit.output().data(), i * vocab, (i + 1) * vocab);
            assertArrayEquals(want, got);
        }
        RunResult q1 = runner.forward(tokens, base.withExitPolicy(ExitPolicy.qExit(1.0)));
        assertArrayEquals(last.output().data(), q1.output().data(), "q = 1 is the last step");

        RunResult mix = runner.forward(tokens, base.withExitPolicy(ExitPolicy.mixture()));
        for (int i = 0; i < tokens.length; i++) {
            for (int j = 0; j < vocab; j++) {
                double want = 0;
                for (int t = 0; t < 4; t++) {
                    want += last.exit().pdf(i, t) * last.stepLogits(t).get(i, j);
                }
                assertEquals(want, mix.output().get(i, j), 1e-5);
            }
        }
    }

    @Test
    void extrapolatingBeyondTheTrainedStepsRunsMoreSteps() {
        LoopModel model = TestModels.random(TestModels.tiedConfig(), 3);
        LoopRunner runner = new LoopRunner(model, CpuKernels.shared());
        int[] tokens = TestModels.tokens(5, 29, 8);
        RunOptions opts = RunOptions.defaults().withCapture(CapturePlan.kinds(SiteKind.STEP_LOGITS));
        RunResult four = runner.forward(tokens, opts);
        RunResult seven = runner.forward(tokens, opts.withSteps(7));
        assertEquals(7, seven.steps());
        for (int t = 0; t < 4; t++) {
            assertArrayEquals(four.stepLogits(t).data(), seven.stepLogits(t).data(), "steps before the end agree");
        }
        List<RunResult> one = runner.forward(List.of(tokens), opts.withSteps(1));
        assertArrayEquals(four.stepLogits(0).data(), one.get(0).output().data());
    }
}
