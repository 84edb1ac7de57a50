package org.looplens.analyses.patching;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.looplens.analyses.SmallModels;
import org.looplens.engine.kernels.CpuKernels;
import org.looplens.engine.model.LoopModel;
import org.looplens.engine.run.RunOptions;
import org.looplens.engine.trace.SiteKind;

/** Averaged maps: the per-pair maps' mean, and intervals that behave. */
class PatchingOverPromptsTest {
    private final LoopModel model = SmallModels.random(32, 2, 3, 0.5, 7);
    private final PromptPair a = new PromptPair(new int[] {3, 14, 15, 9, 26}, new int[] {3, 14, 27, 9, 26},
            new LogitDifference(4, 5, 11));
    private final PromptPair b = new PromptPair(new int[] {3, 8, 15, 9}, new int[] {3, 1, 15, 9},
            new LogitDifference(3, 7, 2));

    private AveragedPatchingMap average(List<PromptPair> pairs) {
        return PatchingOverPrompts.stepByLayer(model, CpuKernels.shared(), pairs, SiteKind.MID, PatchDirection.DENOISE,
                RunOptions.defaults(), true, 1000, 9, 0.95);
    }

    @Test
    void theMeanIsTheMeanOfThePairsMapsAndTheIntervalBracketsIt() {
        AveragedPatchingMap avg = average(List.of(a, b));
        PatchingMap ma = ActivationPatching.stepByLayer(model, CpuKernels.shared(), a.clean(), a.corrupt(), SiteKind.MID,
                null, a.metric(), PatchDirection.DENOISE, RunOptions.defaults());
        PatchingMap mb = ActivationPatching.stepByLayer(model, CpuKernels.shared(), b.clean(), b.corrupt(), SiteKind.MID,
                null, b.metric(), PatchDirection.DENOISE, RunOptions.defaults());
        for (int t = 0; t < 3; t++) {
            for (int l = 0; l < 2; l++) {
                assertEquals(ma.effect()[t][l] / 2 + mb.effect()[t][l] / 2, avg.mean()[t][l], 1e-12);
                double lo = Math.min(ma.effect()[t][l], mb.effect()[t][l]);
                double hi = Math.max(ma.effect()[t][l], mb.effect()[t][l]);
                assertTrue(avg.lo()[t][l] >= lo - 1e-12 && avg.hi()[t][l] <= hi + 1e-12, "within the pairs' range");
                assertTrue(avg.lo()[t][l] <= avg.mean()[t][l] && avg.mean()[t][l] <= avg.hi()[t][l]);
            }
        }
        assertEquals(2, avg.pairs());
        assertEquals(ma.cost().layerEvaluations() + mb.cost().layerEvaluations(), avg.cost().layerEvaluations());
    }

    @Test
    void copiesOfOnePairGiveThatPairsMapWithZeroWidth() {
        AveragedPatchingMap avg = average(Collections.nCopies(5, a));
        PatchingMap ma = ActivationPatching.stepByLayer(model, CpuKernels.shared(), a.clean(), a.corrupt(), SiteKind.MID,
                null, a.metric(), PatchDirection.DENOISE, RunOptions.defaults());
        for (int t = 0; t < 3; t++) {
            for (int l = 0; l < 2; l++) {
                assertEquals(ma.effect()[t][l], avg.mean()[t][l], 1e-12);
                assertEquals(avg.lo()[t][l], avg.hi()[t][l], 0, "all items equal: no spread to resample");
                assertEquals(avg.mean()[t][l], avg.lo()[t][l], 0, "and the interval is the mean itself");
            }
        }
    }
}
