package org.looplens.engine.run;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.looplens.engine.TestModels;
import org.looplens.engine.kernels.CpuKernels;
import org.looplens.engine.model.LoopModel;
import org.looplens.engine.trace.CapturePlan;
import org.looplens.engine.trace.SiteKind;

/**
 * Without a capture, the LM head runs only at the steps the exit policy reads; every policy's
 * output must equal the same run with all step logits captured, in a batch and while decoding.
 */
class LazyHeadTest {
    private final LoopModel model = TestModels.random(TestModels.tiedConfig(), 8);
    private final LoopRunner runner = new LoopRunner(model, CpuKernels.shared());

    static Stream<ExitPolicy> policies() {
        return Stream.of(ExitPolicy.lastStep(), ExitPolicy.fixedStep(0), ExitPolicy.fixedStep(1),
                ExitPolicy.qExit(0.4), ExitPolicy.qExit(1.0), ExitPolicy.mixture());
    }

    @ParameterizedTest
    @MethodSource("policies")
    void outputsEqualARunThatComputesEveryStepsLogits(ExitPolicy policy) {
        List<int[]> batch = List.of(TestModels.tokens(7, 29, 1), TestModels.tokens(3, 29, 2));
        RunOptions lazy = RunOptions.defaults().withExitPolicy(policy);
        RunOptions full = lazy.withCapture(CapturePlan.kinds(SiteKind.STEP_LOGITS));
        List<RunResult> a = runner.forward(batch, lazy);
        List<RunResult> b = runner.forward(batch, full);
        for (int s = 0; s < batch.size(); s++) {
            assertArrayEquals(b.get(s).output().data(), a.get(s).output().data(), "sequence " + s);
            assertArrayEquals(b.get(s).exitSteps(), a.get(s).exitSteps());
        }
        DecodeSession lazySession = runner.session(lazy);
        DecodeSession fullSession = runner.session(full);
        lazySession.append(batch.get(0));
        fullSession.append(batch.get(0));
        assertArrayEquals(fullSession.append(5).output().data(), lazySession.append(5).output().data());
    }

    @Test
    void qOfOneNeverExitsEarlyEvenWithASaturatedGate() {
        // λ = 1 exactly at step 0: the CDF is 1 there, yet q = 1 means "run every step".
        ExitDistribution d = ExitDistribution.fromLambda(new float[][] {{1f}, {0.5f}, {0.5f}});
        assertEquals(1.0, d.cdf(0, 0));
        assertEquals(2, d.exitStep(0, 1.0));
        assertEquals(0, d.exitStep(0, 0.999));
    }

    @Test
    void aTapeLaidOutForOtherLengthsIsRefused() {
        var config = model.config();
        ForwardTape tape = new ForwardTape(config, 4, new int[] {6, 4});
        var e = assertThrows(IllegalArgumentException.class, () -> runner.forward(
                List.of(TestModels.tokens(4, 29, 1), TestModels.tokens(6, 29, 2)), RunOptions.defaults(), tape));
        assertTrue(e.getMessage().contains("laid out"), e.getMessage());
    }
}
