package org.looplens.analyses.linalg;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class RidgeTest {

    @Test
    void recoversAPlantedLinearMapWithIntercept() {
        SplittableRandom rng = new SplittableRandom(3);
        double[][] w = {{2, -1}, {0.5, 0}, {0, 3}};
        double[] b = {1, -2};
        double[][] x = new double[200][3];
        double[][] y = new double[200][2];
        for (int i = 0; i < x.length; i++) {
            for (int j = 0; j < 3; j++) {
                x[i][j] = rng.nextGaussian();
            }
            for (int o = 0; o < 2; o++) {
                y[i][o] = b[o];
                for (int j = 0; j < 3; j++) {
                    y[i][o] += x[i][j] * w[j][o];
                }
            }
        }
        Ridge fit = Ridge.fit(x, y, 1e-9);
        for (int j = 0; j < 3; j++) {
            assertArrayEquals(w[j], fit.weights()[j], 1e-6);
        }
        assertArrayEquals(b, fit.intercept(), 1e-6);
        assertArrayEquals(y[5], fit.predict(x[5]), 1e-6);
    }

    /** One input, one output: the ridge solution is Sxy / (Sxx + λ) in closed form. */
    @Test
    void shrinksAsTheClosedFormSays() {
        double[][] x = {{1}, {2}, {3}, {4}};
        double[][] y = {{2}, {4.5}, {5.5}, {8}};
        double sxx = 5; // Σ (x − 2.5)²
        double sxy = (-1.5) * (2 - 5) + (-0.5) * (4.5 - 5) + 0.5 * (5.5 - 5) + 1.5 * (8 - 5);
        Ridge fit = Ridge.fit(x, y, 2.0);
        double slope = sxy / (sxx + 2.0);
        assertEquals(slope, fit.weights()[0][0], 1e-12);
        assertEquals(5 - slope * 2.5, fit.intercept()[0], 1e-12);
    }

    @Test
    void rejectsMismatchedShapesAndNonPositiveLambda() {
        assertThrows(IllegalArgumentException.class, () -> Ridge.fit(new double[][] {{1}}, new double[][] {{1}, {2}}, 1));
        assertThrows(IllegalArgumentException.class, () -> Ridge.fit(new double[][] {{1}, {2}}, new double[][] {{1}, {2}}, 0));
    }
}
