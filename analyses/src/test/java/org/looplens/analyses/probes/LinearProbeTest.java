package org.looplens.analyses.probes;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Probes on synthetic states: a planted linear label is read, shuffled labels are not. */
class LinearProbeTest {
    private static final int D = 16;
    private static final int CLASSES = 4;

    /**
     * Gaussian states labelled by argmax(x·W) for a random W, keeping only points whose top logit
     * beats the second by at least 1 (so the label is a linear function with a margin).
     */
    private static double[][] states;
    private static int[] labels;

    static {
        SplittableRandom rng = new SplittableRandom(2);
        double[][] w = new double[D][CLASSES];
        for (double[] row : w) {
            for (int c = 0; c < CLASSES; c++) {
                row[c] = rng.nextGaussian();
            }
        }
        states = new double[1000][];
        labels = new int[1000];
        int n = 0;
        while (n < 1000) {
            double[] x = new double[D];
            for (int j = 0; j < D; j++) {
                x[j] = rng.nextGaussian();
            }
            double[] z = new double[CLASSES];
            for (int c = 0; c < CLASSES; c++) {
                for (int j = 0; j < D; j++) {
                    z[c] += x[j] * w[j][c];
                }
            }
            int best = 0;
            for (int c = 1; c < CLASSES; c++) {
                best = z[c] > z[best] ? c : best;
            }
            double second = Double.NEGATIVE_INFINITY;
            for (int c = 0; c < CLASSES; c++) {
                second = c == best ? second : Math.max(second, z[c]);
            }
            if (z[best] - second >= 1) {
                states[n] = x;
                labels[n++] = 100 + best; // labels are token ids, not 0-based classes
            }
        }
    }

    @Test
    void readsAPlantedLinearLabelOnHeldOutStates() {
        ProbeFolds folds = ProbeFolds.split(states.length, 0.7, 1);
        LinearProbe probe = LinearProbe.train(states, labels, folds.train());
        assertArrayEquals(new int[] {100, 101, 102, 103}, probe.classes());
        double accuracy = probe.accuracy(states, labels, folds.test());
        assertTrue(accuracy >= 0.98, "held-out accuracy " + accuracy);
    }

    /**
     * With labels permuted over all states, a held-out label is independent of the probe fitted on
     * the train fold, so the number of hits among the m held-out states is Binomial(m, p) with
     * p = Σ share(c)·P(probe says c) — which for these near-balanced classes is within 0.01 of 1/C.
     * A band of 4.5 standard deviations around 1/C would be left by chance with probability below
     * 1e-5, so a failure means the probe found signal where there is none.
     */
    @Test
    void isAtChanceOnShuffledLabels() {
        int[] shuffled = labels.clone();
        SplittableRandom rng = new SplittableRandom(9);
        for (int i = shuffled.length - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            int t = shuffled[i];
            shuffled[i] = shuffled[j];
            shuffled[j] = t;
        }
        ProbeFolds folds = ProbeFolds.split(states.length, 0.7, 1);
        double accuracy = LinearProbe.train(states, shuffled, folds.train()).accuracy(states, shuffled, folds.test());
        int m = folds.test().length;
        double p = 1.0 / CLASSES;
        double bound = 4.5 * Math.sqrt(p * (1 - p) / m) + 0.01;
        assertEquals(p, accuracy, bound, "held-out accuracy on shuffled labels over " + m + " states");
    }

    @Test
    void theDirectionRaisesTheTargetAgainstThePrediction() {
        ProbeFolds folds = ProbeFolds.split(states.length, 0.7, 1);
        LinearProbe probe = LinearProbe.train(states, labels, folds.train());
        double[] x = states[folds.test()[0]].clone();
        int from = probe.predict(x);
        int to = from == 100 ? 101 : 100;
        double[] d = probe.direction(from, to);
        for (int j = 0; j < D; j++) {
            x[j] += 50 * d[j];
        }
        assertEquals(to, probe.predict(x));
        assertThrows(IllegalArgumentException.class, () -> probe.direction(100, 7));
    }

    @Test
    void foldsAreDisjointCoverEveryRowAndFollowTheSeed() {
        ProbeFolds a = ProbeFolds.split(50, 0.6, 3);
        assertEquals(30, a.train().length);
        boolean[] seen = new boolean[50];
        for (int i : a.train()) {
            seen[i] = true;
        }
        for (int i : a.test()) {
            assertTrue(!seen[i], "row " + i + " in both folds");
            seen[i] = true;
        }
        for (boolean s : seen) {
            assertTrue(s);
        }
        assertArrayEquals(a.test(), ProbeFolds.split(50, 0.6, 3).test());
        assertTrue(!java.util.Arrays.equals(a.test(), ProbeFolds.split(50, 0.6, 4).test()));
        assertThrows(IllegalArgumentException.class, () -> ProbeFolds.split(3, 0.99, 1));
    }

    @Test
    void controlLabelsAreAFixedFunctionOfTheFeature() {
        int[] feature = {5, 9, 5, 7, 9, 5};
        int[] control = ControlTask.labels(feature, 3, 1);
        assertEquals(control[0], control[2]);
        assertEquals(control[0], control[5]);
        assertEquals(control[1], control[4]);
        for (int c : control) {
            assertTrue(c >= 0 && c < 3);
        }
        assertArrayEquals(control, ControlTask.labels(feature, 3, 1));
    }

    @Test
    void agreementIsSymmetricWithAUnitDiagonalAndCountsMatches() {
        int[][] predictions = {{1, 2, 3, 4}, {1, 2, 0, 0}, {1, 9, 3, 4}};
        double[][] m = AgreementMatrix.of(predictions);
        assertArrayEquals(new double[] {1, 0.5, 0.75}, m[0], 0);
        assertArrayEquals(new double[] {0.5, 1, 0.25}, m[1], 0);
        assertArrayEquals(new double[] {0.75, 0.25, 1}, m[2], 0);
    }
}
