package org.looplens.analyses.lens;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.looplens.analyses.SmallModels;
import org.looplens.engine.kernels.CpuKernels;
import org.looplens.engine.model.LoopModel;
import org.looplens.engine.run.RunOptions;

/** At each step's last layer the lens is the step's own readout; elsewhere it is a distribution. */
class LayerLensTest {
    private static final int STEPS = 3;
    private static final int LAYERS = 2;
    private final LoopModel model = SmallModels.random(30, LAYERS, STEPS, 0.5, 13);
    private final int[] tokens = {4, 9, 2, 17, 11, 5};

    @Test
    void theLastLayerOfEachStepReadsLikeTheStepItself() {
        int position = 4;
        LayerLens lens = LayerLens.of(model, CpuKernels.shared(), tokens, RunOptions.defaults(), position);
        StepLens steps = StepLens.inspect(model, CpuKernels.shared(), tokens, RunOptions.defaults(), 30);
        assertEquals(steps.finalTop()[position][0], lens.answer());
        for (int t = 0; t < STEPS; t++) {
            var readout = steps.readout().positions().get(position).steps().get(t);
            assertEquals(readout.top1(), lens.top1()[t][LAYERS - 1], "step " + t);
            assertEquals(steps.finalTopProbs()[position][0][t], lens.answerProb()[t][LAYERS - 1], 1e-6, "step " + t);
            for (int l = 0; l < LAYERS; l++) {
                double p = lens.answerProb()[t][l];
                assertTrue(p > 0 && p <= 1, "a probability at " + t + "," + l + ": " + p);
            }
        }
    }
}
