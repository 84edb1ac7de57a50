package org.looplens.app.figures;

import java.util.LinkedHashMap;
import java.util.Map;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.labels.XYItemLabelGenerator;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;
import org.looplens.analyses.exit.ExitSweep;

/** Q-exit's accuracy against the loop steps it spends, one point per q, beside running them all. */
public final class ExitSweepFigure {
    private ExitSweepFigure() {}

    public static Figure of(ExitSweep sweep) {
        XYSeries curve = new XYSeries("Q-exit", false, true);
        for (int i = 0; i < sweep.q().length; i++) {
            curve.add(sweep.meanDepth()[i], sweep.accuracy()[i]);
        }
        XYSeriesCollection data = new XYSeriesCollection(curve);
        JFreeChart chart = ChartFactory.createXYLineChart("Accuracy against compute (Q-exit sweep)",
                "mean loop steps used", "accuracy", data, PlotOrientation.VERTICAL, false, true, false);
        XYPlot plot = chart.getXYPlot();
        FigureTheme.markers(plot, 1);
        XYLineAndShapeRenderer r = (XYLineAndShapeRenderer) plot.getRenderer();
        XYItemLabelGenerator labels = (dataset, series, item) -> String.format(java.util.Locale.ROOT, "q=%.2g",
                sweep.q()[item]);
        r.setDefaultItemLabelGenerator(labels);
        r.setDefaultItemLabelsVisible(sweep.q().length <= 11);
        plot.addRangeMarker(FigureTheme.referenceLine(sweep.lastStepAccuracy(), "all " + sweep.steps() + " steps"));
        ((NumberAxis) plot.getDomainAxis()).setRange(0.8, sweep.steps() + 0.2);
        ((NumberAxis) plot.getRangeAxis()).setRange(0, 1.02);
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("q", sweep.q());
        json.put("accuracy", sweep.accuracy());
        json.put("mean_depth", sweep.meanDepth());
        json.put("last_step_accuracy", sweep.lastStepAccuracy());
        json.put("steps", sweep.steps());
        json.put("questions", sweep.questions());
        return new Figure("exit-sweep", chart, sweep.toCsv(), json);
    }
}
