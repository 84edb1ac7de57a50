package org.looplens.analyses.linalg;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class LogisticRegressionTest {

    /** Well-separated Gaussian classes: the fit classifies held-out points as the generating means do. */
    @Test
    void separatesPlantedClasses() {
        SplittableRandom rng = new SplittableRandom(11);
        int d = 5;
        double[][] means = {{4, 0, 0, 0, 0}, {0, 4, 0, 0, 0}, {0, 0, 4, 0, 0}};
        double[][] x = new double[600][d];
        int[] y = new int[600];
        for (int i = 0; i < x.length; i++) {
            y[i] = i % 3;
            for (int j = 0; j < d; j++) {
                x[i][j] = means[y[i]][j] + rng.nextGaussian() * 0.5 + 10; // an offset the intercept must absorb
            }
        }
        double[][] train = java.util.Arrays.copyOf(x, 400);
        LogisticRegression fit = LogisticRegression.fit(train, java.util.Arrays.copyOf(y, 400), 3, 1e-2);
        int correct = 0;
        for (int i = 400; i < 600; i++) {
            correct += fit.predict(x[i]) == y[i] ? 1 : 0;
        }
        // Means 4√2 apart against noise 0.5: the Bayes error is below 1e-9, so every point is separable.
        assertEquals(200, correct);
        assertTrue(fit.iterations() < 5000, "converged in " + fit.iterations() + " steps");
    }

    /**
     * The intercept is not penalised, so at the optimum its gradient Σ(p − y) vanishes: the mean
     * predicted probability of each class equals the class's share of the training labels.
     */
    @Test
    void meanPredictedProbabilitiesMatchTheClassShares() {
        SplittableRandom rng = new SplittableRandom(5);
        double[][] x = new double[300][4];
        int[] y = new int[300];
        int[] counts = new int[3];
        for (int i = 0; i < x.length; i++) {
            for (int j = 0; j < 4; j++) {
                x[i][j] = rng.nextGaussian();
            }
            y[i] = x[i][0] + 0.8 * rng.nextGaussian() > 0.5 ? 2 : (x[i][1] > 0 ? 1 : 0); // noisy: not separable
            counts[y[i]]++;
        }
        LogisticRegression fit = LogisticRegression.fit(x, y, 3, 0.1);
        double[] meanP = new double[3];
        for (double[] row : x) {
            double[] z = fit.logits(row);
            double max = Math.max(z[0], Math.max(z[1], z[2]));
            double sum = 0;
            for (double v : z) {
                sum += Math.exp(v - max);
            }
            for (int c = 0; c < 3; c++) {
                meanP[c] += Math.exp(z[c] - max) / sum / x.length;
            }
        }
        for (int c = 0; c < 3; c++) {
            assertEquals((double) counts[c] / x.length, meanP[c], 1e-5, "class " + c);
        }
    }

    @Test
    void rejectsBadLabelsAndPenalties() {
        double[][] x = {{1}, {2}};
        assertThrows(IllegalArgumentException.class, () -> LogisticRegression.fit(x, new int[] {0, 2}, 2, 1));
        assertThrows(IllegalArgumentException.class, () -> LogisticRegression.fit(x, new int[] {0, 1}, 2, 0));
        assertThrows(IllegalArgumentException.class, () -> LogisticRegression.fit(x, new int[] {0, 1}, 1, 1));
    }
}
