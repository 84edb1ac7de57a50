package org.looplens.analyses.steering;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.looplens.analyses.SmallModels;
import org.looplens.engine.InvalidInputException;
import org.looplens.engine.kernels.CpuKernels;
import org.looplens.engine.model.LoopModel;
import org.looplens.engine.run.LoopRunner;
import org.looplens.engine.run.RunOptions;
import org.looplens.engine.trace.Interventions;
import org.looplens.engine.trace.Site;
import org.looplens.engine.trace.SiteKind;

class SteeringSweepsTest {
    private static final int STEPS = 3;
    private final LoopModel model = SmallModels.random(32, 2, STEPS, 0.5, 7);
    private final int[] tokens = {3, 14, 15, 9, 26};
    private final float[] vector = randomVector(32, 4);

    private static float[] randomVector(int n, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        float[] v = new float[n];
        for (int j = 0; j < n; j++) {
            v[j] = (float) rng.nextGaussian();
        }
        return v;
    }

    private SteeringSweep sweep(Site site, int[] positions, double[] strengths, int target) {
        return SteeringSweeps.sweep(model, CpuKernels.shared(), tokens, site, vector, positions, strengths, 4, target,
                RunOptions.defaults());
    }

    @Test
    void strengthZeroLeavesTheDistributionAsItWas() {
        SteeringSweep s = sweep(Site.layer(1, 0, SiteKind.MID), null, new double[] {0}, 5);
        SteeringEffect e = s.effects().get(0);
        assertEquals(0.0, e.kl(), 0);
        assertEquals(s.baseTop1(), e.top1());
        assertTrue(!e.changed());
        assertEquals(s.baseTargetProb(), e.targetProb(), 0);
        assertEquals(s.baseEntropy(), e.entropy(), 0);
    }

    @Test
    void eachStrengthIsTheRunWithThatInterventionMadeByHand() {
        Site site = Site.layer(1, 0, SiteKind.MID);
        SteeringSweep s = sweep(site, new int[] {2}, new double[] {-1, 2.5}, 5);
        LoopRunner runner = new LoopRunner(model, CpuKernels.shared());
        double[] base = SteeringSweeps.logProbs(runner.forward(tokens, RunOptions.defaults()), 4);
        for (SteeringEffect e : s.effects()) {
            double[] byHand = SteeringSweeps.logProbs(runner.forward(tokens, RunOptions.defaults().withInterventions(
                    List.of(Interventions.add(site, vector, (float) e.strength(), 2)))), 4);
            assertEquals(Math.exp(byHand[5]), e.targetProb(), 0);
            assertEquals(SteeringSweeps.kl(byHand, base), e.kl(), 0);
            assertEquals(SteeringSweeps.argmax(byHand), e.top1());
            assertTrue(e.kl() > 0, "steering at an earlier position changed the read position through attention");
        }
    }

    /**
     * At the last step's STEP_HIDDEN the head reads the state directly, so adding s·v tilts the
     * logits by s·(W v): an exponential family in s, whose KL from s = 0 has derivative
     * s·Var(W v) > 0 and whose most-raised token gains probability at every s.
     */
    @Test
    void klGrowsWithStrengthAlongAPlantedDirection() {
        Site site = Site.step(STEPS - 1, SiteKind.STEP_HIDDEN);
        LoopRunner runner = new LoopRunner(model, CpuKernels.shared());
        double[] base = SteeringSweeps.logProbs(runner.forward(tokens, RunOptions.defaults()), 4);
        double[] one = SteeringSweeps.logProbs(runner.forward(tokens, RunOptions.defaults().withInterventions(
                List.of(Interventions.add(site, vector, 1f, 4)))), 4);
        double[] tilt = new double[base.length];
        for (int j = 0; j < tilt.length; j++) {
            tilt[j] = one[j] - base[j];
        }
        int raised = SteeringSweeps.argmax(tilt);
        SteeringSweep s = sweep(site, new int[] {4}, new double[] {0, 0.25, 0.5, 1, 2, 4}, raised);
        double[] kl = s.kl();
        double[] p = s.targetProb();
        for (int i = 1; i < kl.length; i++) {
            assertTrue(kl[i] > kl[i - 1], "KL " + java.util.Arrays.toString(kl));
            assertTrue(p[i] > p[i - 1], "p(target) " + java.util.Arrays.toString(p));
        }
        assertArrayEquals(new double[] {0, 0.25, 0.5, 1, 2, 4}, s.strengths(), 0);
    }

    @Test
    void refusesNonResidualSitesAndWrongWidths() {
        var e = assertThrows(IllegalArgumentException.class, () -> sweep(Site.layer(0, 0, SiteKind.Q), null,
                new double[] {1}, 0));
        assertTrue(e.getMessage().contains("residual"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> SteeringSweeps.sweep(model, CpuKernels.shared(), tokens,
                Site.layer(0, 0, SiteKind.MID), new float[3], null, new double[] {1}, 4, 0, RunOptions.defaults()));
        assertThrows(IllegalArgumentException.class, () -> sweep(Site.step(STEPS, SiteKind.STEP_HIDDEN), null,
                new double[] {1}, 0));
    }

    @Test
    void meanDifferenceIsCleanMinusCorruptAndFilesReadBack(@TempDir Path dir) throws Exception {
        Site site = Site.layer(0, 1, SiteKind.LAYER_OUT);
        int[] a = {3, 14, 15};
        int[] b = {3, 14, 27};
        float[] d = SteeringVectors.meanDifference(model, CpuKernels.shared(), List.of(a), List.of(b), site,
                RunOptions.defaults());
        var capture = RunOptions.defaults().withCapture(org.looplens.engine.trace.CapturePlan.sites(java.util.Set.of(site)));
        LoopRunner runner = new LoopRunner(model, CpuKernels.shared());
        var ta = runner.forward(a, capture).trace().get(site);
        var tb = runner.forward(b, capture).trace().get(site);
        for (int j = 0; j < d.length; j++) {
            assertEquals(ta.get(2, j) - tb.get(2, j), d[j], 1e-6);
        }
        Path file = dir.resolve("v.txt");
        Files.writeString(file, "# a vector\n1.5, -2\n3e-1\n");
        assertArrayEquals(new float[] {1.5f, -2f, 0.3f}, SteeringVectors.read(file), 0);
        Files.writeString(file, "1 two\n");
        var bad = assertThrows(InvalidInputException.class, () -> SteeringVectors.read(file));
        assertTrue(bad.getMessage().contains("two"), bad.getMessage());
    }
}
