package org.looplens.app.figures;

import java.awt.Color;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.axis.NumberTickUnit;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.plot.XYPlot;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;
import org.looplens.analyses.exit.DepthSweep;

/** Accuracy against the loop steps run, from 1 to twice the trained T, the trained T marked. */
public final class DepthSweepFigure {
    private DepthSweepFigure() {}

    public static Figure of(DepthSweep sweep) {
        XYSeries acc = new XYSeries("accuracy");
        XYSeries collapsed = new XYSeries("collapsed");
        for (int i = 0; i < sweep.steps().length; i++) {
            acc.add(sweep.steps()[i], sweep.accuracy()[i]);
            if (sweep.collapsed()[i]) {
                collapsed.add(sweep.steps()[i], sweep.accuracy()[i]);
            }
        }
        XYSeriesCollection data = new XYSeriesCollection(acc);
        data.addSeries(collapsed);
        JFreeChart chart = ChartFactory.createXYLineChart("Accuracy at every loop depth", "loop steps run", "accuracy",
                data, PlotOrientation.VERTICAL, !collapsed.isEmpty(), true, false);
        XYPlot plot = chart.getXYPlot();
        FigureTheme.markers(plot, 2);
        plot.getRenderer().setSeriesPaint(1, Color.RED);
        plot.addDomainMarker(FigureTheme.referenceLine(sweep.trainedSteps(), "trained T"));
        NumberAxis x = (NumberAxis) plot.getDomainAxis();
        x.setTickUnit(new NumberTickUnit(1));
        x.setRange(0.8, sweep.steps().length + 0.2);
        ((NumberAxis) plot.getRangeAxis()).setRange(0, 1.02);
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("steps", sweep.steps());
        json.put("accuracy", sweep.accuracy());
        json.put("mean_entropy", sweep.meanEntropy());
        json.put("collapsed", sweep.collapsed());
        json.put("trained_steps", sweep.trainedSteps());
        json.put("questions", sweep.questions());
        return new Figure("depth", chart, sweep.toCsv(), json);
    }
}
