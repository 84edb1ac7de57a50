package org.looplens.analyses.exit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.looplens.analyses.SmallModels;
import org.looplens.engine.kernels.CpuKernels;
import org.looplens.engine.model.LoopModel;

/** Each depth of the sweep is what the engine answers after that many steps. */
class DepthSweepsTest {
    private static final int STEPS = 3;
    private final LoopModel model = SmallModels.random(12, 2, STEPS, 0.6, 4);
    private final List<Question> questions = new ArrayList<>();

    DepthSweepsTest() {
        SplittableRandom rng = new SplittableRandom(5);
        for (int i = 0; i < 120; i++) {
            questions.add(new Question(rng.ints(2 + rng.nextInt(5), 0, 12).toArray(), rng.nextInt(12), 1));
        }
    }

    @Test
    void depthsAgreeWithTheExitSweepsEnds() {
        DepthSweep depth = DepthSweeps.sweep(model, CpuKernels.shared(), questions, 2 * STEPS);
        assertArrayEquals(new int[] {1, 2, 3, 4, 5, 6}, depth.steps());
        ExitSweep exit = ExitSweeps.qSweep(model, CpuKernels.shared(), questions, new double[] {0, 1});
        // One step run = exiting after the first of T steps; T steps run = the last step.
        assertEquals(exit.accuracy()[0], depth.accuracy()[0], 0);
        assertEquals(exit.lastStepAccuracy(), depth.accuracy()[STEPS - 1], 0);
        for (int i = 0; i < STEPS; i++) {
            assertFalse(depth.collapsed()[i], "no collapse is flagged at or below the trained T");
        }
        for (int i = STEPS; i < 2 * STEPS; i++) {
            assertEquals(depth.accuracy()[i] < depth.accuracy()[STEPS - 1] - DepthSweeps.COLLAPSE_DROP,
                    depth.collapsed()[i]);
        }
        assertEquals(7, depth.toCsv().split("\n").length);
    }
}
