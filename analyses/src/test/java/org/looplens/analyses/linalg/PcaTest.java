package org.looplens.analyses.linalg;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class PcaTest {

    /** Points on a plane spanned by two known directions, plus tiny noise: PCA must find that plane. */
    @Test
    void recoversAPlantedPlane() {
        int d = 12;
        double[] a = unit(d, 1);
        double[] b = orthogonalise(unit(d, 2), a);
        SplittableRandom rng = new SplittableRandom(7);
        double[][] rows = new double[300][d];
        for (double[] row : rows) {
            double u = 5 * rng.nextGaussian();
            double v = 2 * rng.nextGaussian();
            for (int j = 0; j < d; j++) {
                row[j] = 3 + u * a[j] + v * b[j] + 1e-3 * rng.nextGaussian();
            }
        }
        Pca pca = Pca.fit(rows, 3);
        // The two components span the planted plane (the sample's own correlation of u and v may
        // turn the axes a little within it, so those are checked to a looser degree).
        double[] c0 = pca.components()[0];
        double[] c1 = pca.components()[1];
        assertEquals(1.0, Math.hypot(dot(c0, a), dot(c1, a)), 1e-6);
        assertEquals(1.0, Math.hypot(dot(c0, b), dot(c1, b)), 1e-6);
        assertTrue(Math.abs(dot(c0, a)) > 0.99, "first component against a: " + dot(c0, a));
        assertEquals(25, pca.variances()[0], 25 * 0.2);
        assertEquals(4, pca.variances()[1], 4 * 0.2);
        assertTrue(pca.variances()[2] < 1e-5, "third variance " + pca.variances()[2]);
        double[] ratio = pca.explainedRatio();
        assertEquals(1.0, ratio[0] + ratio[1], 1e-6);
        for (int j = 0; j < d; j++) {
            assertEquals(3, pca.mean()[j], 0.5);
        }
    }

    @Test
    void componentsAreOrthonormalAndProjectionMatchesNumPy() {
        // numpy: np.linalg.svd of the centred rows [[1,2],[3,4],[5,7]] gives Vh[0] = [0.6215989, 0.78333569]
        // and variances s²/(n−1) = [10.30097393, 0.0323594].
        Pca pca = Pca.fit(new double[][] {{1, 2}, {3, 4}, {5, 7}}, 2);
        assertArrayEquals(new double[] {3, 13.0 / 3}, pca.mean(), 1e-12);
        assertEquals(1.0, dot(pca.components()[0], pca.components()[0]), 1e-12);
        assertEquals(0.0, dot(pca.components()[0], pca.components()[1]), 1e-12);
        assertArrayEquals(new double[] {0.6215989, 0.78333569}, pca.components()[0], 1e-7);
        assertArrayEquals(new double[] {10.30097393, 0.0323594}, pca.variances(), 1e-7);
        double[] p = pca.project(new double[] {5, 7});
        assertEquals(2 * 0.6215989 + (7 - 13.0 / 3) * 0.78333569, p[0], 1e-7);
        assertEquals(pca.totalVariance(), pca.variances()[0] + pca.variances()[1], 1e-12);
    }

    @Test
    void rejectsBadInput() {
        assertThrows(IllegalArgumentException.class, () -> Pca.fit(new double[][] {{1, 2}}, 1));
        assertThrows(IllegalArgumentException.class, () -> Pca.fit(new double[][] {{1, 2}, {3, 4}}, 3));
        assertThrows(IllegalArgumentException.class, () -> Pca.fit(new double[][] {{1, Double.NaN}, {3, 4}}, 1));
        assertThrows(IllegalArgumentException.class, () -> Pca.fit(new double[][] {{1, 2}, {3}}, 1));
    }

    static double[] unit(int d, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        double[] v = new double[d];
        for (int j = 0; j < d; j++) {
            v[j] = rng.nextGaussian();
        }
        return normalise(v);
    }

    static double[] orthogonalise(double[] v, double[] against) {
        double p = dot(v, against);
        double[] out = new double[v.length];
        for (int j = 0; j < v.length; j++) {
            out[j] = v[j] - p * against[j];
        }
        return normalise(out);
    }

    static double[] normalise(double[] v) {
        double n = Math.sqrt(dot(v, v));
        double[] out = new double[v.length];
        for (int j = 0; j < v.length; j++) {
            out[j] = v[j] / n;
        }
        return out;
    }

    static double dot(double[] a, double[] b) {
        double s = 0;
        for (int j = 0; j < a.length; j++) {
            s += a[j] * b[j];
        }
        return s;
    }
}
