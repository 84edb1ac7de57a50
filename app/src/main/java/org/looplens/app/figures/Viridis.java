package org.looplens.app.figures;

import java.awt.Color;
import java.awt.Paint;
import org.jfree.chart.renderer.PaintScale;

/**
 * A perceptually even colour scale (dark purple to yellow) over [lower, upper], so equal steps in
 * value look like equal steps in colour, and it stays readable in greyscale print.
 */
final class Viridis implements PaintScale {
    private static final int[][] ANCHORS = {
        {68, 1, 84}, {59, 82, 139}, {33, 145, 140}, {94, 201, 98}, {253, 231, 37},
    };

    private final double lower;
    private final double upper;

    Viridis(double lower, double upper) {
        this.lower = lower;
        this.upper = upper > lower ? upper : lower + 1;
    }

    @Override
    public double getLowerBound() {
        return lower;
    }

    @Override
    public double getUpperBound() {
        return upper;
    }

    @Override
    public Paint getPaint(double value) {
        double f = Double.isNaN(value) ? 0 : Math.max(0, Math.min(1, (value - lower) / (upper - lower)));
        double x = f * (ANCHORS.length - 1);
        int i = Math.min(ANCHORS.length - 2, (int) x);
        double w = x - i;
        int[] a = ANCHORS[i];
        int[] b = ANCHORS[i + 1];
        return new Color(mix(a[0], b[0], w), mix(a[1], b[1], w), mix(a[2], b[2], w));
    }

    private static int mix(int a, int b, double w) {
        return (int) Math.round(a + (b - a) * w);
    }
}
