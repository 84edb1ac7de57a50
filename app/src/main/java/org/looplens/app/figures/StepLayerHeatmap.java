package org.looplens.app.figures;

import java.awt.Color;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.axis.NumberTickUnit;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYBlockRenderer;
import org.jfree.data.xy.DefaultXYZDataset;

/**
 * A loop step × layer (or × position) grid of one value as colour: the shape of patching maps and
 * the layer lens.
 */
final class StepLayerHeatmap {
    private StepLayerHeatmap() {}

    /** {@code values[step][layer]}; the colour scale spans [lo, hi] widened to the data. */
    static JFreeChart chart(String title, String valueLabel, double[][] values, double lo, double hi) {
        return chart(title, valueLabel, values, lo, hi, "layer");
    }

    /** {@code values[step][column]}, the columns named by {@code columnLabel} (layer, position). */
    static JFreeChart chart(String title, String valueLabel, double[][] values, double lo, double hi,
                            String columnLabel) {
        int steps = values.length;
        int layers = steps == 0 ? 0 : values[0].length;
        double[][] xyz = new double[3][steps * layers];
        for (int t = 0; t < steps; t++) {
            for (int l = 0; l < layers; l++) {
                int k = t * layers + l;
                xyz[0][k] = l;
                xyz[1][k] = t + 1;
                xyz[2][k] = values[t][l];
                if (Double.isFinite(values[t][l])) {
                    lo = Math.min(lo, values[t][l]);
                    hi = Math.max(hi, values[t][l]);
                }
            }
        }
        DefaultXYZDataset data = new DefaultXYZDataset();
        data.addSeries(valueLabel, xyz);
        XYBlockRenderer blocks = new XYBlockRenderer();
        Viridis scale = new Viridis(lo, hi);
        blocks.setPaintScale(scale);
        NumberAxis layerAxis = new NumberAxis(columnLabel);
        layerAxis.setTickUnit(new NumberTickUnit(1));
        layerAxis.setRange(-0.5, layers - 0.5);
        NumberAxis stepAxis = new NumberAxis("loop step");
        stepAxis.setTickUnit(new NumberTickUnit(1));
        stepAxis.setRange(0.5, steps + 0.5);
        XYPlot plot = new XYPlot(data, layerAxis, stepAxis, blocks);
        plot.setBackgroundPaint(Color.WHITE);
        plot.setDomainGridlinesVisible(false);
        plot.setRangeGridlinesVisible(false);
        JFreeChart chart = new JFreeChart(title, JFreeChart.DEFAULT_TITLE_FONT, plot, false);
        ColourLegend.addTo(chart, scale, new NumberAxis(valueLabel), 10);
        chart.setBackgroundPaint(Color.WHITE);
        return chart;
    }
}
