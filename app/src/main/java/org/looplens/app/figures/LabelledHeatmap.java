package org.looplens.app.figures;

import java.awt.Color;
import java.awt.Font;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.annotations.XYTextAnnotation;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.axis.SymbolAxis;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYBlockRenderer;
import org.jfree.data.xy.DefaultXYZDataset;

/**
 * A grid of values as colour with named rows and columns and each cell's text written in it: for
 * small grids (probe accuracy per hop and step, step × step agreement) where the numbers matter.
 */
final class LabelledHeatmap {
    private LabelledHeatmap() {}

    /** {@code values[row][col]}, row 0 drawn at the top; {@code text[row][col]} is written in each cell. */
    static JFreeChart chart(String title, String valueLabel, double[][] values, String[] rowLabels, String rowAxis,
                            String[] colLabels, String colAxis, String[][] text, double lo, double hi) {
        int rows = values.length;
        int cols = rows == 0 ? 0 : values[0].length;
        double[][] xyz = new double[3][rows * cols];
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                int k = r * cols + c;
                xyz[0][k] = c;
                xyz[1][k] = rows - 1 - r;
                xyz[2][k] = values[r][c];
            }
        }
        DefaultXYZDataset data = new DefaultXYZDataset();
        data.addSeries(valueLabel, xyz);
        XYBlockRenderer blocks = new XYBlockRenderer();
        Viridis scale = new Viridis(lo, hi);
        blocks.setPaintScale(scale);
        SymbolAxis x = new SymbolAxis(colAxis, colLabels);
        x.setGridBandsVisible(false);
        String[] reversed = new String[rows];
        for (int r = 0; r < rows; r++) {
            reversed[r] = rowLabels[rows - 1 - r];
        }
        SymbolAxis y = new SymbolAxis(rowAxis, reversed);
        y.setGridBandsVisible(false);
        XYPlot plot = new XYPlot(data, x, y, blocks);
        plot.setBackgroundPaint(Color.WHITE);
        plot.setDomainGridlinesVisible(false);
        plot.setRangeGridlinesVisible(false);
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                if (text[r][c] == null) {
                    continue;
                }
                XYTextAnnotation a = new XYTextAnnotation(text[r][c], c, rows - 1 - r);
                a.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 6));
                // The chart theme repaints annotation text, so legibility on dark cells comes from a
                // pale backing instead of the text colour.
                a.setBackgroundPaint(new Color(255, 255, 255, 170));
                plot.addAnnotation(a);
            }
        }
        JFreeChart chart = new JFreeChart(title, JFreeChart.DEFAULT_TITLE_FONT, plot, false);
        ColourLegend.addTo(chart, scale, new NumberAxis(valueLabel), 10);
        chart.setBackgroundPaint(Color.WHITE);
        return chart;
    }

    /** "1".."n": loop steps as people count them. */
    static String[] steps(int n) {
        String[] out = new String[n];
        for (int t = 0; t < n; t++) {
            out[t] = String.valueOf(t + 1);
        }
        return out;
    }
}
