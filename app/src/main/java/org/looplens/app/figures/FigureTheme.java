package org.looplens.app.figures;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Paint;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.StandardChartTheme;
import org.jfree.chart.plot.ValueMarker;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYItemRenderer;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;

/**
 * Fonts and strokes sized for the page a figure goes on: a chart drawn at 3.5 inches needs 8 pt
 * text to stay legible in print, whatever size it was shown at on screen.
 */
public final class FigureTheme {
    /** Line colours that stay distinct for colour-blind readers (Okabe–Ito). */
    private static final Color[] LINES = {
        new Color(0, 114, 178), new Color(213, 94, 0), new Color(0, 158, 115), new Color(204, 121, 167),
        new Color(230, 159, 0), new Color(86, 180, 233), new Color(0, 0, 0), new Color(240, 228, 66),
    };

    private FigureTheme() {}

    /** Applies fonts scaled to {@code size} to the chart, in place. */
    public static void apply(JFreeChart chart, FigureSize size) {
        float base = size.fontPoints();
        StandardChartTheme theme = (StandardChartTheme) StandardChartTheme.createJFreeTheme();
        theme.setExtraLargeFont(new Font(Font.SANS_SERIF, Font.BOLD, Math.round(base * 1.25f)));
        theme.setLargeFont(new Font(Font.SANS_SERIF, Font.PLAIN, Math.round(base * 1.1f)));
        theme.setRegularFont(new Font(Font.SANS_SERIF, Font.PLAIN, Math.round(base)));
        theme.setSmallFont(new Font(Font.SANS_SERIF, Font.PLAIN, Math.round(base * 0.9f)));
        theme.setChartBackgroundPaint(Color.WHITE);
        theme.setPlotBackgroundPaint(Color.WHITE);
        theme.setDomainGridlinePaint(new Color(220, 220, 220));
        theme.setRangeGridlinePaint(new Color(220, 220, 220));
        // The theme resets renderer paints; keep the ones the figure chose.
        List<Map<Integer, Paint>> kept = seriesPaints(chart);
        theme.apply(chart);
        restore(chart, kept);
    }

    /** Distinct colours and a line width that prints, for a plot of line series. */
    /** A dashed grey reference line at {@code at} (the trained T, a baseline), labelled. */
    static ValueMarker referenceLine(double at, String label) {
        return referenceLine(at, label, Color.GRAY, 1f);
    }

    /** A dashed reference line in a colour and width of its own (white on a heatmap). */
    static ValueMarker referenceLine(double at, String label, Color colour, float width) {
        ValueMarker m = new ValueMarker(at, colour,
                new BasicStroke(width, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 1, new float[] {4, 3}, 0));
        m.setLabel(label);
        return m;
    }

    static void markers(XYPlot plot, int series) {
        XYItemRenderer r = plot.getRenderer();
        for (int s = 0; s < series; s++) {
            r.setSeriesPaint(s, LINES[s % LINES.length]);
            r.setSeriesStroke(s, new BasicStroke(1.5f));
        }
        if (r instanceof XYLineAndShapeRenderer lines) {
            lines.setDefaultShapesVisible(true);
        }
    }

    private static List<Map<Integer, Paint>> seriesPaints(JFreeChart chart) {
        List<Map<Integer, Paint>> out = new ArrayList<>();
        if (chart.getPlot() instanceof XYPlot plot) {
            for (int i = 0; i < plot.getRendererCount(); i++) {
                Map<Integer, Paint> m = new HashMap<>();
                XYItemRenderer r = plot.getRenderer(i);
                for (int s = 0; r != null && s < 64; s++) {
                    if (r.getSeriesPaint(s) != null) {
                        m.put(s, r.getSeriesPaint(s));
                    }
                }
                out.add(m);
            }
        }
        return out;
    }

    private static void restore(JFreeChart chart, List<Map<Integer, Paint>> kept) {
        if (chart.getPlot() instanceof XYPlot plot) {
            for (int i = 0; i < kept.size() && i < plot.getRendererCount(); i++) {
                XYItemRenderer r = plot.getRenderer(i);
                if (r != null) {
                    kept.get(i).forEach(r::setSeriesPaint);
                }
            }
        }
    }
}
