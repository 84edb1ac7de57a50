package org.looplens.analyses.trajectory;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.looplens.analyses.SmallModels;
import org.looplens.engine.kernels.CpuKernels;
import org.looplens.engine.model.LoopModel;
import org.looplens.engine.run.LoopRunner;
import org.looplens.engine.run.RunOptions;
import org.looplens.engine.run.RunResult;
import org.looplens.engine.trace.CapturePlan;
import org.looplens.engine.trace.Site;
import org.looplens.engine.trace.SiteKind;

/** Trajectories on planted states (known plane) and on a small model's own runs, within and past the trained T. */
class LatentTrajectoriesTest {
    private static final int TRAINED = 4;
    private final LoopModel model = SmallModels.random(20, 2, TRAINED, 0.5, 3);
    private final List<int[]> prompts = List.of(new int[] {1, 5, 7, 2}, new int[] {3, 3, 9}, new int[] {11, 0, 4, 8, 6});

    @Test
    void pathsInAPlantedPlaneReconstructTheStates() {
        // Three tokens moving inside the plane spanned by e1 + e2 and e3, offset by a fixed point in 6 dimensions.
        double s = Math.sqrt(0.5);
        double[] a = {s, s, 0, 0, 0, 0};
        double[] b = {0, 0, 1, 0, 0, 0};
        double[] offset = {1, -1, 2, 0.5, 0, 3};
        double[][][] states = new double[3][5][6];
        for (int i = 0; i < 3; i++) {
            for (int t = 0; t < 5; t++) {
                double u = (i + 1) * Math.pow(0.5, t);
                double v = i - 1 + 0.3 * t;
                for (int j = 0; j < 6; j++) {
                    states[i][t][j] = offset[j] + u * a[j] + v * b[j];
                }
            }
        }
        List<TracedToken> traced = List.of(new TracedToken(0, 2, 7), new TracedToken(1, 2, 8), new TracedToken(2, 2, 9));
        LatentTrajectories tr = LatentTrajectories.of(SiteKind.STEP_HIDDEN, 3, traced, states, 3);
        double[] ratio = tr.explainedRatio();
        assertEquals(1.0, ratio[0] + ratio[1], 1e-12, "the states span a plane");
        assertEquals(0.0, ratio[2], 1e-12);
        assertTrue(ratio[0] >= ratio[1]);
        for (int i = 0; i < 3; i++) {
            for (int t = 0; t < 5; t++) {
                double[] rebuilt = tr.pca().mean().clone();
                for (int k = 0; k < 2; k++) {
                    for (int j = 0; j < 6; j++) {
                        rebuilt[j] += tr.path()[i][t][k] * tr.pca().components()[k][j];
                    }
                }
                assertArrayEquals(states[i][t], rebuilt, 1e-12, "two coordinates rebuild the state");
                assertEquals(0, tr.path()[i][t][2], 1e-12);
            }
        }
        assertTrue(tr.extrapolated());
        assertEquals(Convergence.CONVERGING, tr.changes().convergence(), "u halves and v steps by 0.3 while |h| grows");
        assertEquals(1 + 3 * 5, tr.toCsv().split("\n").length);
    }

    @Test
    void tracedStatesAreTheRunsOwnAtTheLastPosition() {
        int steps = 2 * TRAINED;
        LatentTrajectories tr = LatentTrajectories.trace(model, CpuKernels.shared(), prompts, steps,
                SiteKind.STEP_HIDDEN, TracedPositions.LAST, 3);
        assertEquals(steps, tr.steps());
        assertTrue(tr.extrapolated());
        assertNotEquals(Convergence.WITHIN_TRAINED, tr.changes().convergence());
        assertEquals(List.of(new TracedToken(0, 3, 2), new TracedToken(1, 2, 9), new TracedToken(2, 4, 6)), tr.traced());
        List<RunResult> runs = new LoopRunner(model, CpuKernels.shared()).forward(prompts,
                RunOptions.defaults().withSteps(steps).withCapture(CapturePlan.kinds(SiteKind.STEP_HIDDEN)));
        for (int i = 0; i < prompts.size(); i++) {
            int last = prompts.get(i).length - 1;
            double[][] h = new double[steps][];
            for (int t = 0; t < steps; t++) {
                float[] data = runs.get(i).trace().get(Site.step(t, SiteKind.STEP_HIDDEN)).data();
                h[t] = new double[32];
                for (int j = 0; j < 32; j++) {
                    h[t][j] = data[last * 32 + j];
                }
                assertArrayEquals(tr.pca().project(h[t]), tr.path()[i][t], 0, "the path is the captured state projected");
            }
            for (int t = 1; t < steps; t++) {
                double sq = 0;
                double dot = 0;
                double nowSq = 0;
                double beforeSq = 0;
                for (int j = 0; j < 32; j++) {
                    sq += (h[t][j] - h[t - 1][j]) * (h[t][j] - h[t - 1][j]);
                    dot += h[t][j] * h[t - 1][j];
                    nowSq += h[t][j] * h[t][j];
                    beforeSq += h[t - 1][j] * h[t - 1][j];
                }
                assertEquals(Math.sqrt(sq), tr.changes().stepDistance()[i][t - 1], 1e-12);
                assertEquals(Math.sqrt(sq) / Math.sqrt(nowSq), tr.changes().relativeChange()[i][t - 1], 1e-12);
                assertEquals(dot / Math.sqrt(nowSq * beforeSq), tr.changes().cosine()[i][t - 1], 1e-12);
            }
            assertEquals(0, tr.changes().distanceToLast()[i][steps - 1], 0);
        }
        double[] ratio = tr.explainedRatio();
        assertTrue(ratio[0] >= ratio[1] && ratio[1] >= ratio[2] && ratio[0] + ratio[1] + ratio[2] <= 1 + 1e-12);
    }

    @Test
    void allPositionsAndThePrenormStateWithinTheTrainedT() {
        LatentTrajectories tr = LatentTrajectories.trace(model, CpuKernels.shared(), prompts, TRAINED,
                SiteKind.STEP_PRENORM, TracedPositions.ALL, 2);
        assertEquals(4 + 3 + 5, tr.traced().size());
        List<Integer> tokens = new ArrayList<>();
        prompts.forEach(p -> {
            for (int id : p) {
                tokens.add(id);
            }
        });
        assertEquals(tokens, tr.traced().stream().map(TracedToken::token).toList());
        assertFalse(tr.extrapolated());
        assertEquals(Convergence.WITHIN_TRAINED, tr.changes().convergence());
        LatentTrajectories hidden = LatentTrajectories.trace(model, CpuKernels.shared(), prompts, TRAINED,
                SiteKind.STEP_HIDDEN, TracedPositions.ALL, 2);
        assertNotEquals(hidden.changes().stepDistance()[0][0], tr.changes().stepDistance()[0][0],
                "the final norm rescales the state, so the two sites move by different amounts");
    }

    @Test
    void oneStepOfOneTokenIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> LatentTrajectories.trace(model, CpuKernels.shared(),
                List.of(new int[] {1, 2}), 1, SiteKind.STEP_HIDDEN, TracedPositions.LAST, 1));
        assertThrows(IllegalArgumentException.class, () -> LatentTrajectories.trace(model, CpuKernels.shared(),
                prompts, 2, SiteKind.STEP_LOGITS, TracedPositions.LAST, 1));
        assertEquals(TracedPositions.ALL, TracedPositions.parse("all"));
        assertThrows(IllegalArgumentException.class, () -> TracedPositions.parse("first"));
    }
}
