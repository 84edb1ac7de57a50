package org.looplens.analyses.patching;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The bootstrap's invariants: it brackets the mean, shrinks with more data, and repeats for a seed. */
class PercentileBootstrapTest {
    private static double[][] sample(int n, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        double[][] v = new double[n][2];
        for (int i = 0; i < n; i++) {
            v[i][0] = rng.nextDouble();
            v[i][1] = 5 + 3 * rng.nextGaussian();
        }
        return v;
    }

    @Test
    void theIntervalContainsTheMeanAndTheMeanIsExact() {
        double[][] v = sample(40, 1);
        PercentileBootstrap b = PercentileBootstrap.of(v, 1000, 7, 0.95);
        for (int c = 0; c < 2; c++) {
            double mean = 0;
            for (double[] row : v) {
                mean += row[c];
            }
            assertEquals(mean / v.length, b.mean()[c], 1e-12);
            assertTrue(b.lo()[c] < b.mean()[c] && b.mean()[c] < b.hi()[c], "cell " + c);
        }
    }

    @Test
    void duplicatingTheDataShrinksTheIntervalAndEqualItemsGiveZeroWidth() {
        double[][] v = sample(20, 2);
        double[][] four = new double[80][];
        for (int i = 0; i < 80; i++) {
            four[i] = v[i % 20];
        }
        PercentileBootstrap once = PercentileBootstrap.of(v, 1000, 3, 0.95);
        PercentileBootstrap dup = PercentileBootstrap.of(four, 1000, 3, 0.95);
        for (int c = 0; c < 2; c++) {
            double w1 = once.hi()[c] - once.lo()[c];
            double w4 = dup.hi()[c] - dup.lo()[c];
            assertTrue(w4 < 0.7 * w1, "cell " + c + ": " + w4 + " vs " + w1 + " (about half expected)");
        }
        double[][] same = new double[30][];
        for (int i = 0; i < 30; i++) {
            same[i] = new double[] {0.25, -1.5};
        }
        PercentileBootstrap flat = PercentileBootstrap.of(same, 500, 4, 0.95);
        assertArrayEquals(new double[] {0.25, -1.5}, flat.lo(), 0);
        assertArrayEquals(new double[] {0.25, -1.5}, flat.hi(), 0);
        assertArrayEquals(new double[] {0.25, -1.5}, flat.mean(), 0, "summed in the same order as every resample");
    }

    @Test
    void aSeedGivesTheSameIntervalsAndAnotherSeedOthers() {
        double[][] v = sample(25, 5);
        PercentileBootstrap a = PercentileBootstrap.of(v, 800, 11, 0.9);
        PercentileBootstrap b = PercentileBootstrap.of(v, 800, 11, 0.9);
        PercentileBootstrap c = PercentileBootstrap.of(v, 800, 12, 0.9);
        assertArrayEquals(a.lo(), b.lo(), 0);
        assertArrayEquals(a.hi(), b.hi(), 0);
        assertTrue(a.lo()[1] != c.lo()[1]);
    }

    @Test
    void quantilesInterpolateBetweenOrderStatistics() {
        double[] sorted = {0, 1, 2, 3, 4};
        assertEquals(0.1, PercentileBootstrap.quantile(sorted, 0.025), 1e-12);
        assertEquals(3.9, PercentileBootstrap.quantile(sorted, 0.975), 1e-12);
        assertEquals(2, PercentileBootstrap.quantile(sorted, 0.5), 0);
    }
}
