package org.looplens.engine.run;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;
import org.looplens.engine.InvalidInputException;
import org.looplens.engine.TestModels;
import org.looplens.engine.kernels.CpuKernels;
import org.looplens.engine.model.LoopModel;
import org.looplens.engine.trace.CapturePlan;
import org.looplens.engine.trace.Intervention;
import org.looplens.engine.trace.Interventions;
import org.looplens.engine.trace.Site;
import org.looplens.engine.trace.SiteKind;

/**
 * A run resumed at (step, layer) from a base run's captures equals the full run with the same
 * intervention bit for bit: the resumed part runs the same kernels on the same rows in the same
 * order, and the earlier steps' gate logits and logits are fed to the exit policy unchanged, so
 * not even the float rounding can differ. Checked for every exit policy, including the mixture,
 * whose output sums over all steps.
 */
class ResumePointTest {
    private static final int STEPS = 4;
    private final LoopModel model = TestModels.random(TestModels.gqaConfig(), 11); // 2 layers
    private final LoopRunner runner = new LoopRunner(model, CpuKernels.shared());
    private final int[] receiver = TestModels.tokens(9, 37, 3);
    private final int[] donor = TestModels.tokens(9, 37, 4);

    static Stream<ExitPolicy> policies() {
        return Stream.of(ExitPolicy.lastStep(), ExitPolicy.fixedStep(1), ExitPolicy.qExit(0.4), ExitPolicy.mixture());
    }

    private static void assertSameRun(RunResult full, RunResult resumed, String where) {
        assertArrayEquals(full.output().data(), resumed.output().data(), where + ": output");
        assertArrayEquals(full.exitSteps(), resumed.exitSteps(), where + ": exit steps");
        for (int t = 0; t < full.steps(); t++) {
            assertArrayEquals(full.gateLogits()[t], resumed.gateLogits()[t], where + ": gate logits of step " + t);
            assertArrayEquals(full.lambda()[t], resumed.lambda()[t], where + ": λ of step " + t);
            for (int i = 0; i < full.length(); i++) {
                assertEquals(full.exit().pdf(i, t), resumed.exit().pdf(i, t), 0, where + ": exit pdf");
            }
        }
    }

    @ParameterizedTest
    @MethodSource("policies")
    void aResumedPatchedRunEqualsTheFullRunWithThePatchBitForBit(ExitPolicy policy) {
        RunOptions options = RunOptions.defaults().withSteps(STEPS).withExitPolicy(policy);
        RunResult base = runner.forward(receiver, options.withCapture(ResumePoint.capture(policy)));
        RunResult source = runner.forward(donor, options.withCapture(CapturePlan.all()));
        int[][] cells = {{0, 0}, {0, 1}, {1, 0}, {1, 1}, {2, 1}, {3, 0}, {3, 1}};
        for (int[] c : cells) {
            for (SiteKind kind : List.of(SiteKind.MID, SiteKind.ATTN_IN, SiteKind.LAYER_OUT, SiteKind.V)) {
                Site site = Site.layer(c[0], c[1], kind);
                RunOptions patched = options.withInterventions(List.of(Interventions.patch(site, source.trace().get(site), 2, 5)));
                RunResult full = runner.forward(receiver, patched);
                RunResult resumed = runner.forward(receiver, patched.withResume(ResumePoint.of(base, c[0], c[1])));
                assertSameRun(full, resumed, site + " " + policy);
            }
        }
        for (int t = 0; t < STEPS; t++) { // step-level sites resume after the step's last layer
            Site site = Site.step(t, SiteKind.STEP_HIDDEN);
            RunOptions patched = options.withInterventions(List.of(Interventions.patch(site, source.trace().get(site), 4)));
            assertSameRun(runner.forward(receiver, patched),
                    runner.forward(receiver, patched.withResume(ResumePoint.of(base, t, 2))), site + " " + policy);
        }
    }

    @Test
    void resumingWithoutAnInterventionReproducesTheBaseRunAndItsLaterCaptures() {
        RunOptions options = RunOptions.defaults().withSteps(STEPS).withExitPolicy(ExitPolicy.mixture());
        RunResult base = runner.forward(receiver, options.withCapture(ResumePoint.capture(ExitPolicy.mixture())
                .plus(CapturePlan.kinds(SiteKind.MLP_OUT))));
        RunResult resumed = runner.forward(receiver, options.withCapture(CapturePlan.kinds(SiteKind.MLP_OUT))
                .withResume(ResumePoint.of(base, 2, 1)));
        assertSameRun(base, resumed, "no intervention");
        assertArrayEquals(base.trace().get(Site.layer(3, 0, SiteKind.MLP_OUT)).data(),
                resumed.trace().get(Site.layer(3, 0, SiteKind.MLP_OUT)).data());
        assertTrue(!resumed.trace().all().containsKey(Site.layer(2, 0, SiteKind.MLP_OUT)),
                "sites before the resume point are not reached");
    }

    @Test
    void badResumePointsAreRefusedNamingTheProblem() {
        RunOptions options = RunOptions.defaults().withSteps(STEPS);
        RunResult base = runner.forward(receiver, options.withCapture(ResumePoint.capture(ExitPolicy.lastStep())));
        ResumePoint at21 = ResumePoint.of(base, 2, 1);
        Intervention early = Interventions.zero(Site.layer(2, 0, SiteKind.MID));
        var e = assertThrows(InvalidInputException.class, () -> runner.forward(receiver,
                options.withInterventions(List.of(early)).withResume(at21)));
        assertTrue(e.getMessage().contains("t2.l0.mid") && e.getMessage().contains("before the resume point"), e.getMessage());
        e = assertThrows(InvalidInputException.class, () -> runner.forward(TestModels.tokens(5, 37, 1), options.withResume(at21)));
        assertTrue(e.getMessage().contains("residual"), e.getMessage());
        e = assertThrows(InvalidInputException.class, () -> runner.forward(receiver, options.withSteps(2).withResume(at21)));
        assertTrue(e.getMessage().contains("outside"), e.getMessage());
        e = assertThrows(InvalidInputException.class, () -> runner.forward(receiver,
                options.withExitPolicy(ExitPolicy.mixture()).withResume(at21)));
        assertTrue(e.getMessage().contains("reads step 0"), e.getMessage());
        e = assertThrows(InvalidInputException.class, () -> runner.session(options.withResume(at21)));
        assertTrue(e.getMessage().contains("full forward"), e.getMessage());
        e = assertThrows(InvalidInputException.class, () -> runner.forward(List.of(receiver, receiver), options.withResume(at21)));
        assertTrue(e.getMessage().contains("one sequence"), e.getMessage());
        e = assertThrows(InvalidInputException.class, () -> ResumePoint.of(runner.forward(receiver, options), 1, 0));
        assertTrue(e.getMessage().contains("not captured"), e.getMessage());
    }
}
