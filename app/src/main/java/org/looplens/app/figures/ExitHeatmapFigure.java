package org.looplens.app.figures;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.geom.Ellipse2D;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.axis.NumberTickUnit;
import org.jfree.chart.axis.SymbolAxis;
import org.jfree.chart.plot.DatasetRenderingOrder;
import org.jfree.chart.plot.ValueMarker;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYBlockRenderer;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.chart.ui.RectangleAnchor;
import org.jfree.chart.ui.TextAnchor;
import org.jfree.chart.ui.RectangleInsets;
import org.jfree.data.xy.DefaultXYZDataset;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;
import org.looplens.analyses.lens.LensQuantity;
import org.looplens.analyses.lens.StepLens;

/**
 * The tokens × loop steps heatmap of one lens quantity, with the exit step the policy chose
 * marked on every token, and the steps beyond the trained T set off by a dashed line.
 */
public final class ExitHeatmapFigure {
    private ExitHeatmapFigure() {}

    /** Item (position, step) of the heatmap series is at index position·steps + step. */
    public static int itemIndex(StepLens lens, int position, int step) {
        return position * lens.steps() + step;
    }

    public static Figure of(StepLens lens, LensQuantity quantity, List<String> tokenLabels) {
        int n = lens.length();
        int steps = lens.steps();
        double[][] xyz = new double[3][n * steps];
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < n; i++) {
            for (int t = 0; t < steps; t++) {
                int k = i * steps + t;
                double v = lens.value(quantity, i, t);
                xyz[0][k] = i;
                xyz[1][k] = t + 1;
                xyz[2][k] = v;
                lo = Math.min(lo, v);
                hi = Math.max(hi, v);
            }
        }
        if (bounded(quantity)) {
            lo = 0;
            hi = 1;
        } else if (quantity == LensQuantity.FINAL_RANK || quantity == LensQuantity.TARGET_RANK) {
            lo = 1;
        } else {
            lo = Math.min(0, lo);
        }
        DefaultXYZDataset cells = new DefaultXYZDataset();
        cells.addSeries(quantity.label(), xyz);

        XYBlockRenderer blocks = new XYBlockRenderer();
        Viridis scale = new Viridis(lo, hi);
        blocks.setPaintScale(scale);
        blocks.setDefaultToolTipGenerator(new CellToolTips(lens, quantity, tokenLabels));

        SymbolAxis tokens = new SymbolAxis("token", tokenLabels.toArray(String[]::new));
        tokens.setVerticalTickLabels(n > 12);
        tokens.setGridBandsVisible(false);
        NumberAxis stepAxis = new NumberAxis("loop step");
        stepAxis.setTickUnit(new NumberTickUnit(1));
        stepAxis.setRange(0.5, steps + 0.5);
        tokens.setRange(-0.5, n - 0.5);

        XYPlot plot = new XYPlot(cells, tokens, stepAxis, blocks);
        plot.setBackgroundPaint(Color.WHITE);
        plot.setDomainGridlinesVisible(false);
        plot.setRangeGridlinesVisible(false);
        plot.setAxisOffset(RectangleInsets.ZERO_INSETS);

        XYSeries exits = new XYSeries("exit step");
        for (int i = 0; i < n; i++) {
            if (lens.exitSteps()[i] >= 0) {
                exits.add(i, lens.exitSteps()[i] + 1);
            }
        }
        XYLineAndShapeRenderer marks = new XYLineAndShapeRenderer(false, true);
        // A white dot ringed in black reads on the darkest and the brightest cells alike.
        marks.setSeriesShape(0, new Ellipse2D.Double(-3.5, -3.5, 7, 7));
        marks.setSeriesShapesFilled(0, true);
        marks.setSeriesPaint(0, Color.WHITE);
        marks.setUseOutlinePaint(true);
        marks.setSeriesOutlinePaint(0, Color.BLACK);
        marks.setSeriesOutlineStroke(0, new BasicStroke(1.2f));
        marks.setDrawOutlines(true);
        plot.setDataset(1, new XYSeriesCollection(exits));
        plot.setRenderer(1, marks);
        plot.setDatasetRenderingOrder(DatasetRenderingOrder.FORWARD); // the marks over the cells

        if (lens.extrapolated()) {
            ValueMarker trained = FigureTheme.referenceLine(lens.trainedSteps() + 0.5,
                    "extrapolated above (trained T = " + lens.trainedSteps() + ")", Color.WHITE, 1.2f);
            trained.setLabelPaint(Color.WHITE);
            trained.setLabelAnchor(RectangleAnchor.TOP_RIGHT);
            trained.setLabelTextAnchor(TextAnchor.BOTTOM_RIGHT);
            plot.addRangeMarker(trained);
        }

        JFreeChart chart = new JFreeChart(quantity.label() + " at every loop step", JFreeChart.DEFAULT_TITLE_FONT,
                plot, false);
        NumberAxis scaleAxis = new NumberAxis(quantity.unit());
        scaleAxis.setRange(scale.getLowerBound(), scale.getUpperBound());
        ColourLegend.addTo(chart, scale, scaleAxis, 10);
        chart.setBackgroundPaint(Color.WHITE);
        return new Figure("exit-heatmap", chart, lens.toCsv(), json(lens, quantity, tokenLabels));
    }

    private static boolean bounded(LensQuantity q) {
        return q == LensQuantity.TOP1_PROB || q == LensQuantity.LAMBDA || q == LensQuantity.EXIT_PDF
                || q == LensQuantity.TARGET_PROB;
    }

    private static Map<String, Object> json(StepLens lens, LensQuantity quantity, List<String> labels) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("quantity", quantity.key());
        m.put("tokens", lens.tokens());
        m.put("token_labels", labels);
        m.put("first_position", lens.firstPosition());
        m.put("steps", lens.steps());
        m.put("trained_steps", lens.trainedSteps());
        m.put("exit_steps", lens.exitSteps());
        m.put("values", lens.grids().get(quantity));
        return m;
    }
}
