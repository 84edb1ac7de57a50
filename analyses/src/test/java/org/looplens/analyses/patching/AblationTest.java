package org.looplens.analyses.patching;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.looplens.analyses.SmallModels;
import org.looplens.engine.kernels.CpuKernels;
import org.looplens.engine.model.LoopModel;
import org.looplens.engine.run.LoopRunner;
import org.looplens.engine.run.RunOptions;
import org.looplens.engine.run.RunResult;
import org.looplens.engine.tensor.FloatTensor;
import org.looplens.engine.trace.CapturePlan;
import org.looplens.engine.trace.Interventions;
import org.looplens.engine.trace.Site;
import org.looplens.engine.trace.SiteKind;

/** Mean and resample ablation against runs with the replacement made by hand. */
class AblationTest {
    private static final int STEPS = 3;
    private static final int LAYERS = 2;
    private final LoopModel model = SmallModels.random(32, LAYERS, STEPS, 0.5, 7);
    private final LoopRunner runner = new LoopRunner(model, CpuKernels.shared());
    private final int[] input = {3, 14, 15, 9, 26};
    private final List<int[]> prompts = List.of(new int[] {3, 14, 27, 9, 26}, new int[] {5, 1, 2, 9, 20},
            new int[] {3, 14, 15, 9, 26}, new int[] {7, 7}, new int[] {8, 30, 15, 4, 26});
    private final LogitDifference metric = new LogitDifference(4, 5, 11);

    private AblationMap ablate(AblationMethod method, int resamples) {
        return Ablation.stepByLayer(model, CpuKernels.shared(), input, metric, SiteKind.MID, method, prompts, resamples,
                42, RunOptions.defaults(), true);
    }

    @Test
    void meanAblationReplacesEachCellByTheMeanOverThePromptsOfTheInputsLength() {
        AblationMap map = ablate(AblationMethod.MEAN, 0);
        assertEquals(3, map.pool(), "the input itself and the short prompt are left out");
        List<RunResult> donors = runner.forward(List.of(prompts.get(0), prompts.get(1), prompts.get(4)),
                RunOptions.defaults().withCapture(CapturePlan.kinds(SiteKind.MID)));
        RunResult base = runner.forward(input, RunOptions.defaults());
        assertEquals(metric.of(base), map.baseDiff(), 0);
        for (int t = 0; t < STEPS; t++) {
            for (int l = 0; l < LAYERS; l++) {
                Site site = Site.layer(t, l, SiteKind.MID);
                float[] mean = new float[donors.get(0).trace().get(site).data().length];
                for (int i = 0; i < mean.length; i++) {
                    double s = 0;
                    for (RunResult d : donors) {
                        s += d.trace().get(site).data()[i];
                    }
                    mean[i] = (float) (s / 3);
                }
                RunResult byHand = runner.forward(input, RunOptions.defaults().withInterventions(List.of(
                        Interventions.patch(site, new FloatTensor(mean, input.length, 32)))));
                assertEquals(metric.of(byHand), map.logitDiff()[t][l], 0, "step " + t + " layer " + l);
                assertEquals(metric.targetProbability(byHand), map.answerProb()[t][l], 0);
                assertEquals(map.logitDiff()[t][l] - map.baseDiff(), map.diffChange()[t][l], 0);
            }
        }
    }

    @Test
    void resampleAblationAveragesRunsWithOtherPromptsActivationsReproducibly() {
        AblationMap map = ablate(AblationMethod.RESAMPLE, 4);
        assertEquals(4, map.resamples());
        AblationMap again = ablate(AblationMethod.RESAMPLE, 4);
        for (int t = 0; t < STEPS; t++) {
            assertEquals(java.util.Arrays.toString(map.logitDiff()[t]), java.util.Arrays.toString(again.logitDiff()[t]));
        }
        // Every resample comes from the pool; the average must lie within the pool's range per cell.
        List<RunResult> donors = runner.forward(List.of(prompts.get(0), prompts.get(1), prompts.get(4)),
                RunOptions.defaults().withCapture(CapturePlan.kinds(SiteKind.MID)));
        for (int t = 0; t < STEPS; t++) {
            for (int l = 0; l < LAYERS; l++) {
                Site site = Site.layer(t, l, SiteKind.MID);
                double lo = Double.POSITIVE_INFINITY;
                double hi = Double.NEGATIVE_INFINITY;
                for (RunResult d : donors) {
                    double v = metric.of(runner.forward(input, RunOptions.defaults().withInterventions(
                            List.of(Interventions.patch(site, d.trace().get(site))))));
                    lo = Math.min(lo, v);
                    hi = Math.max(hi, v);
                }
                assertTrue(map.logitDiff()[t][l] >= lo - 1e-9 && map.logitDiff()[t][l] <= hi + 1e-9,
                        "step " + t + " layer " + l);
            }
        }
        assertEquals(1 + 4 + 4 * STEPS * LAYERS, map.cost().runs(), "input, 4 donors, 4 resamples per cell");
    }

    @Test
    void aPromptSetWithNothingOfTheInputsLengthIsRefused() {
        var e = assertThrows(IllegalArgumentException.class, () -> Ablation.stepByLayer(model, CpuKernels.shared(), input,
                metric, SiteKind.MID, AblationMethod.MEAN, List.of(new int[] {1, 2}, input), 1, 1, RunOptions.defaults(),
                true));
        assertTrue(e.getMessage().contains("length 5"), e.getMessage());
    }
}
