package org.looplens.analyses.patching;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.looplens.analyses.SmallModels;
import org.looplens.engine.kernels.CpuKernels;
import org.looplens.engine.model.LoopModel;
import org.looplens.engine.run.ExitPolicy;
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
    void patchingTheWholeResidualWithItsCleanValueGivesOneAndWithItsCorruptValueZeroEverywhere() {
        // layer_out at all positions is the entire state: after it the run is the source run's.
        PatchingMap denoise = map(SiteKind.LAYER_OUT, null, PatchDirection.DENOISE);
        PatchingMap noise = map(SiteKind.LAYER_OUT, null, PatchDirection.NOISE);
        for (int t = 0; t < STEPS; t++) {
            for (int l = 0; l < LAYERS; l++) {
                assertEquals(1.0, denoise.effect()[t][l], 0, "denoise at step " + t + " layer " + l);
                assertEquals(0.0, noise.effect()[t][l], 0, "noise at step " + t + " layer " + l);
            }
        }
    }

    static Stream<ExitPolicy> policies() {
        return Stream.of(ExitPolicy.lastStep(), ExitPolicy.qExit(0.5), ExitPolicy.mixture(), ExitPolicy.fixedStep(1));
    }

    @ParameterizedTest
    @MethodSource("policies")
    void prefixReuseGivesTheFromScratchMapBitForBitAndCountsItsSaving(ExitPolicy policy) {
        RunOptions options = RunOptions.defaults().withExitPolicy(policy);
        for (SiteKind kind : List.of(SiteKind.MID, SiteKind.ATTN_IN, SiteKind.MLP_OUT)) {
            PatchingMap reused = ActivationPatching.stepByLayer(model, CpuKernels.shared(), clean, corrupt, kind,
                    new int[] {2}, metric, PatchDirection.NOISE, options, true);
            PatchingMap scratch = ActivationPatching.stepByLayer(model, CpuKernels.shared(), clean, corrupt, kind,
                    new int[] {2}, metric, PatchDirection.NOISE, options, false);
            for (int t = 0; t < STEPS; t++) {
                assertArrayEquals(scratch.logitDiff()[t], reused.logitDiff()[t], kind + " step " + t + " " + policy);
            }
            long perRun = STEPS * LAYERS;
            long resumed = 0;
            for (int t = 0; t < STEPS; t++) {
                for (int l = 0; l < LAYERS; l++) {
                    resumed += perRun - (t * LAYERS + l);
                }
            }
            assertEquals(2 * perRun + resumed, reused.cost().layerEvaluations());
            assertEquals((2 + perRun) * perRun, reused.cost().scratchLayerEvaluations());
            assertEquals(scratch.cost().scratchLayerEvaluations(), scratch.cost().layerEvaluations());
            assertEquals(reused.cost().scratchLayerEvaluations(), scratch.cost().scratchLayerEvaluations());
        }
    }

    @Test
    void theStepByPositionMapRestoresTheLastHiddenStateOnlyAtTheMeasuredPosition() {
        StepPositionMap map = ActivationPatching.stepByPosition(model, CpuKernels.shared(), clean, corrupt,
                SiteKind.STEP_HIDDEN, 0, metric, PatchDirection.DENOISE, RunOptions.defaults(), true);
        assertEquals(STEPS, map.steps());
        assertEquals(clean.length, map.positions());
        assertEquals(1.0, map.effect()[STEPS - 1][4], 0, "the last step's state at the read position is the answer");
        for (int p = 0; p < 4; p++) {
            assertEquals(0.0, map.effect()[STEPS - 1][p], 0, "only the readout remains: position " + p + " cannot act");
        }
        assertEquals(0.0, map.effect()[0][0], 0, "positions 0, 1 hold the same tokens in both inputs");
        LoopRunner runner = new LoopRunner(model, CpuKernels.shared());
        var cleanRun = runner.forward(clean, RunOptions.defaults().withCapture(CapturePlan.kinds(SiteKind.STEP_HIDDEN)));
        for (int t = 0; t < STEPS; t++) {
            for (int p = 0; p < clean.length; p++) {
                Site site = Site.step(t, SiteKind.STEP_HIDDEN);
                var byHand = runner.forward(corrupt, RunOptions.defaults().withInterventions(
                        List.of(Interventions.patch(site, cleanRun.trace().get(site), p))));
                assertEquals(metric.of(byHand), map.logitDiff()[t][p], 0, "at step " + t + " position " + p);
            }
        }
        StepPositionMap atLayer = ActivationPatching.stepByPosition(model, CpuKernels.shared(), clean, corrupt,
                SiteKind.MID, 1, metric, PatchDirection.DENOISE, RunOptions.defaults(), true);
        PatchingMap byLayer = map(SiteKind.MID, new int[] {2}, PatchDirection.DENOISE);
        for (int t = 0; t < STEPS; t++) {
            assertEquals(byLayer.logitDiff()[t][1], atLayer.logitDiff()[t][2], 0, "one cell, two maps, step " + t);
        }
        var e = assertThrows(IllegalArgumentException.class, () -> ActivationPatching.stepByPosition(model,
                CpuKernels.shared(), clean, corrupt, SiteKind.MID, LAYERS, metric, PatchDirection.DENOISE,
                RunOptions.defaults(), true));
        assertTrue(e.getMessage().contains("layer 2"), e.getMessage());
    }

    @Test
    void inputsOfDifferentLengthsAreRefused() {
        var e = assertThrows(IllegalArgumentException.class, () -> ActivationPatching.stepByLayer(model,
                CpuKernels.shared(), clean, new int[] {1, 2}, SiteKind.MID, null, metric, PatchDirection.DENOISE,
                RunOptions.defaults()));
        assertEquals(true, e.getMessage().contains("same length"), e.getMessage());
    }
}
