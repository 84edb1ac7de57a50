package org.looplens.analyses.patching;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.looplens.analyses.SmallModels;
import org.looplens.engine.kernels.CpuKernels;
import org.looplens.engine.model.LoopModel;
import org.looplens.engine.run.LoopRunner;
import org.looplens.engine.run.RunOptions;

/** Skipping or repeating the last step, against plain runs of one step fewer or more. */
class StepEditSweepTest {
    private static final int STEPS = 3;
    private final LoopModel model = SmallModels.random(32, 2, STEPS, 0.5, 7);
    private final int[] input = {3, 14, 15, 9, 26};
    private final LogitDifference metric = new LogitDifference(4, 5, 11);

    @Test
    void skippingTheLastStepAnswersLikeTheShorterRunAndRepeatingItLikeTheLongerOne() {
        StepEditEffects e = StepEditSweep.of(model, CpuKernels.shared(), input, metric, RunOptions.defaults());
        LoopRunner runner = new LoopRunner(model, CpuKernels.shared());
        assertEquals(metric.of(runner.forward(input, RunOptions.defaults())), e.baseDiff(), 0);
        assertEquals(metric.of(runner.forward(input, RunOptions.defaults().withSteps(STEPS - 1))), e.skipDiff()[STEPS - 1], 0);
        assertEquals(metric.of(runner.forward(input, RunOptions.defaults().withSteps(STEPS + 1))), e.repeatDiff()[STEPS - 1], 0);
        assertEquals(metric.of(runner.forward(input, RunOptions.defaults().withSteps(STEPS + 1))), e.repeatDiff()[0], 0,
                "with the last-step output any repeat reaches the state of the longer run");
        assertEquals(2 + 2 * STEPS, e.toCsv().lines().count(), "header, the unedited run, skip and repeat per step");
    }
}
