package org.looplens.analyses.trajectory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Step changes on planted paths whose distances are known in closed form. */
class StepChangesTest {

    /** h_t = (3, 4·2^−t): each step halves the distance to the fixed point (3, 0). */
    private static double[][] halving(int steps) {
        double[][] path = new double[steps][];
        for (int t = 0; t < steps; t++) {
            path[t] = new double[] {3, 4 * Math.pow(2, -t), 0};
        }
        return path;
    }

    /** A unit vector turning by a growing angle 0.1·t²: it never settles. */
    private static double[][] spinning(int steps) {
        double[][] path = new double[steps][];
        for (int t = 0; t < steps; t++) {
            double a = 0.1 * t * t;
            path[t] = new double[] {Math.cos(a), Math.sin(a), 0};
        }
        return path;
    }

    @Test
    void distancesMatchTheClosedForm() {
        StepChanges c = StepChanges.of(new double[][][] {halving(6)}, 3);
        assertEquals(6, c.steps());
        for (int t = 1; t < 6; t++) {
            double step = 4 * Math.pow(2, -t); // 4·2^−(t−1) − 4·2^−t
            double norm = Math.hypot(3, 4 * Math.pow(2, -t));
            assertEquals(step, c.stepDistance()[0][t - 1], 1e-15);
            assertEquals(step / norm, c.relativeChange()[0][t - 1], 1e-15);
            double before = 4 * Math.pow(2, -(t - 1));
            assertEquals((9 + before * 4 * Math.pow(2, -t)) / (norm * Math.hypot(3, before)), c.cosine()[0][t - 1], 1e-15);
        }
        for (int t = 0; t < 6; t++) {
            assertEquals(4 * Math.pow(2, -t) - 4 * Math.pow(2, -5), c.distanceToLast()[0][t], 1e-15);
        }
        assertEquals(0, c.distanceToLast()[0][5], 0, "the last step is at distance 0 from itself");
        assertEquals(Convergence.CONVERGING, c.convergence());
        assertEquals(c.meanRelativeChange()[4] / c.meanRelativeChange()[1], c.changeRatio(), 0);
    }

    @Test
    void aStateThatStaysPutHasCosineOneAndNoChange() {
        double[][] path = {{1, -2, 2}, {1, -2, 2}, {0.5, 0.5, 0}};
        StepChanges c = StepChanges.of(new double[][][] {path}, 3);
        assertEquals(0, c.stepDistance()[0][0], 0);
        assertEquals(0, c.relativeChange()[0][0], 0);
        assertEquals(1, c.cosine()[0][0], 1e-15);
        assertEquals(Math.sqrt(0.25 + 6.25 + 4), c.stepDistance()[0][1], 1e-15);
        assertEquals(Math.sqrt(0.25 + 6.25 + 4) / Math.sqrt(0.5), c.relativeChange()[0][1], 1e-14);
        assertEquals((0.5 - 1 + 0) / (3 * Math.sqrt(0.5)), c.cosine()[0][1], 1e-15);
        assertEquals(Convergence.WITHIN_TRAINED, c.convergence(), "three steps of a model trained with three");
        assertTrue(Double.isNaN(c.changeRatio()));
    }

    @Test
    void theMeanIsOverTracesAndDriftIsFlagged() {
        StepChanges c = StepChanges.of(new double[][][] {spinning(7), spinning(7)}, 4);
        for (int t = 1; t < 7; t++) {
            double turn = 0.1 * (t * t - (t - 1) * (t - 1));
            double chord = 2 * Math.sin(turn / 2);
            assertEquals(chord, c.stepDistance()[1][t - 1], 1e-12);
            assertEquals(chord, c.meanRelativeChange()[t - 1], 1e-12, "unit vectors: relative change is the chord");
            assertEquals(Math.cos(turn), c.cosine()[0][t - 1], 1e-12);
        }
        assertEquals(Convergence.DRIFTING, c.convergence());
        assertTrue(c.changeRatio() > 1);
        String[] csv = c.toCsv().split("\n");
        assertEquals(8, csv.length);
        assertTrue(csv[1].startsWith("0,false,,,,"), csv[1]);
        assertTrue(csv[5].startsWith("4,true,"), csv[5]);
    }

    @Test
    void oneTrainedStepRunTwiceCannotBeJudged() {
        assertEquals(Convergence.UNDETERMINED, StepChanges.of(new double[][][] {halving(2)}, 1).convergence());
        assertEquals(Convergence.CONVERGING, StepChanges.of(new double[][][] {halving(3)}, 1).convergence());
        assertThrows(IllegalArgumentException.class, () -> StepChanges.of(new double[][][] {halving(3), halving(4)}, 2));
    }
}
