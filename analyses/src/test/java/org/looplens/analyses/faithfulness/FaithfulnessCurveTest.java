package org.looplens.analyses.faithfulness;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class FaithfulnessCurveTest {
    @Test
    void areaOverCurveIsOneMinusTheTrapezoidArea() {
        // Trapezoids 0.5·(0 + 1)/2 = 0.25 and 0.5·(1 + 1)/2 = 0.5: area 0.75, area over 0.25.
        assertEquals(0.25, FaithfulnessCurve.areaOverCurve(new double[] {0, 0.5, 1}, new double[] {0, 1, 1}), 1e-15);
        // Over [0.5, 1] only: area 0.5·(1 + 0)/2 = 0.25 on a span of 0.5, mean height 0.5.
        assertEquals(0.5, FaithfulnessCurve.areaOverCurve(new double[] {0.5, 1}, new double[] {1, 0}), 1e-15);
        assertEquals(0.25, FaithfulnessCurve.areaOverCurve(new double[] {1}, new double[] {0.75}), 1e-15);
    }

    @Test
    void curveAveragesQuestionsWithBootstrapIntervals() {
        double[][] passed = {{1, 1}, {0, 1}, {1, 1}, {0, 1}};
        FaithfulnessCurve c = FaithfulnessCurve.of("t", "m", new double[] {0, 1}, passed, 200, 5);
        assertArrayEquals(new double[] {0.5, 1}, c.value(), 0);
        assertEquals(1, c.lo()[1], 0);
        assertEquals(1, c.hi()[1], 0);
        assertEquals(4, c.questions());
        assertEquals(1 - 0.75, c.areaOverCurve(), 1e-15);
        FaithfulnessCurve again = FaithfulnessCurve.of("t", "m", new double[] {0, 1}, passed, 200, 5);
        assertEquals(c.toCsv(), again.toCsv(), "seeded");
        String[] rows = c.toCsv().split("\n");
        assertEquals("test,model,fraction,value,lo,hi,area_over_curve,questions", rows[0]);
        assertEquals("t,m,1.0,1.0,1.0,1.0,0.25,4", rows[2]);
    }

    @Test
    void badCurvesAreRefused() {
        assertThrows(IllegalArgumentException.class,
                () -> FaithfulnessCurve.of("t", "m", new double[] {0.5, 0.5}, new double[][] {{1, 1}}, 10, 1));
        assertThrows(IllegalArgumentException.class,
                () -> FaithfulnessCurve.of("t", "m", new double[] {0, 1.5}, new double[][] {{1, 1}}, 10, 1));
        assertThrows(IllegalArgumentException.class,
                () -> FaithfulnessCurve.of("t", "m", new double[] {0, 1}, new double[0][], 10, 1));
        assertThrows(IllegalArgumentException.class, () -> new FaithfulnessCurve("t", "m", new double[] {0, 1},
                new double[] {1}, new double[] {1}, new double[] {1}, 0, 1));
    }
}
