package org.looplens.analyses.patching;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.looplens.analyses.SmallModels;
import org.looplens.engine.kernels.CpuKernels;
import org.looplens.engine.model.LoopModel;
import org.looplens.engine.run.LoopRunner;
import org.looplens.engine.run.RunOptions;
import org.looplens.engine.trace.CapturePlan;
import org.looplens.engine.trace.Interventions;
import org.looplens.engine.trace.Site;
import org.looplens.engine.trace.SiteKind;

/** Patching maps with exactly known entries, and each entry equal to a run made by hand. */
class ActivationPatchingTest {
    private static final int STEPS = 3;
    private static final int LAYERS = 2;
    private final LoopModel model = SmallModels.random(32, LAYERS, STEPS, 0.5, 7);
    private final int[] clean = {3, 14, 15, 9, 26};
    private final int[] corrupt = {3, 14, 27, 9, 26};
    private final LogitDifference metric = new LogitDifference(4, 5, 11);

    private PatchingMap map(SiteKind kind, int[] positions, PatchDirection direction) {
        return ActivationPatching.stepByLayer(model, CpuKernels.shared(), clean, corrupt, kind, positions, metric,
                direction, RunOptions.defaults());
    }

    @Test
    void restoringTheLastLayerOfTheLastStepRestoresTheOutputExactly() {
        PatchingMap denoise = map(SiteKind.LAYER_OUT, null, PatchDirection.DENOISE);
        assertNotEquals(denoise.cleanDiff(), denoise.corruptDiff(), "the inputs must differ for the test to mean anything");
        assertEquals(1.0, denoise.effect()[STEPS - 1][LAYERS - 1], 0, "clean value patched in: effect 1");
        PatchingMap noise = map(SiteKind.LAYER_OUT, null, PatchDirection.NOISE);
        assertEquals(0.0, noise.effect()[STEPS - 1][LAYERS - 1], 0, "corrupt value patched in: effect 0");
        assertEquals(2 + STEPS * LAYERS, denoise.runs());
    }

    @Test
    void anEarlierPositionAtTheLastLayerCannotReachTheLastPositionsOutput() {
        // After the last layer of the last step only the norm and head remain, both per position.
        PatchingMap map = map(SiteKind.LAYER_OUT, new int[] {2}, PatchDirection.DENOISE);
        assertEquals(0.0, map.effect()[STEPS - 1][LAYERS - 1], 0);
    }

    @Test
    void everyEntryEqualsARunWithThatPatchMadeByHand() {
        PatchingMap map = map(SiteKind.MID, new int[] {2}, PatchDirection.DENOISE);
        LoopRunner runner = new LoopRunner(model, CpuKernels.shared());
        var cleanRun = runner.forward(clean, RunOptions.defaults().withCapture(CapturePlan.kinds(SiteKind.MID)));
        for (int t = 0; t < STEPS; t++) {
            for (int l = 0; l < LAYERS; l++) {
                Site site = Site.layer(t, l, SiteKind.MID);
                var byHand = runner.forward(corrupt, RunOptions.defaults().withInterventions(
                        List.of(Interventions.patch(site, cleanRun.trace().get(site), 2))));
                assertEquals(metric.of(byHand), map.logitDiff()[t][l], 0, "at step " + t + " layer " + l);
            }
        }
    }

    @Test
    void inputsOfDifferentLengthsAreRefused() {
        var e = assertThrows(IllegalArgumentException.class, () -> ActivationPatching.stepByLayer(model,
                CpuKernels.shared(), clean, new int[] {1, 2}, SiteKind.MID, null, metric, PatchDirection.DENOISE,
                RunOptions.defaults()));
        assertEquals(true, e.getMessage().contains("same length"), e.getMessage());
    }
}
