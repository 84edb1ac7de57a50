package org.looplens.app.figures;

import java.awt.Color;
import java.util.List;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.axis.NumberTickUnit;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYBlockRenderer;
import org.jfree.data.xy.DefaultXYZDataset;
import org.looplens.engine.train.MetricsRecord;

/**
 * How the mean exit distribution p̄(t) moves during training: optimiser step across, loop step
 * up, probability as colour, one column per metrics record.
 */
public final class ExitPdfHistoryFigure {
    private ExitPdfHistoryFigure() {}

    public static JFreeChart chart(List<MetricsRecord> records, int loopSteps) {
        DefaultXYZDataset data = new DefaultXYZDataset();
        data.addSeries("p(t)", cells(records, loopSteps));
        XYBlockRenderer blocks = new XYBlockRenderer();
        Viridis scale = new Viridis(0, 1);
        blocks.setPaintScale(scale);
        double width = records.size() >= 2 ? records.get(1).step() - records.get(0).step() : 1;
        blocks.setBlockWidth(Math.max(1, width));
        NumberAxis x = new NumberAxis("optimiser step");
        NumberAxis y = new NumberAxis("loop step");
        y.setTickUnit(new NumberTickUnit(1));
        y.setRange(0.5, loopSteps + 0.5);
        XYPlot plot = new XYPlot(data, x, y, blocks);
        plot.setBackgroundPaint(Color.WHITE);
        plot.setDomainGridlinesVisible(false);
        plot.setRangeGridlinesVisible(false);
        JFreeChart chart = new JFreeChart("Mean exit distribution p̄(t)", JFreeChart.DEFAULT_TITLE_FONT, plot, false);
        ColourLegend.addTo(chart, scale, new NumberAxis("p̄(t)"), 8);
        chart.setBackgroundPaint(Color.WHITE);
        return chart;
    }

    private static double[][] cells(List<MetricsRecord> records, int loopSteps) {
        double[][] xyz = new double[3][records.size() * loopSteps];
        int k = 0;
        for (MetricsRecord r : records) {
            for (int t = 0; t < loopSteps; t++) {
                xyz[0][k] = r.step();
                xyz[1][k] = t + 1;
                xyz[2][k] = t < r.meanExitPdf().length ? r.meanExitPdf()[t] : Double.NaN;
                k++;
            }
        }
        return xyz;
    }
}
