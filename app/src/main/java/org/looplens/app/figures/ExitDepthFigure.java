package org.looplens.app.figures;

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
import org.looplens.analyses.exit.ExitDepthByDifficulty;

/** Loop steps used against question difficulty (hop count): expected under the gate, oracle, and Q-exit. */
public final class ExitDepthFigure {
    private ExitDepthFigure() {}

    public static Figure of(ExitDepthByDifficulty d) {
        XYSeries expected = new XYSeries("expected depth E_p[t]");
        XYSeries oracle = new XYSeries("oracle exit");
        XYSeries qExit = new XYSeries("Q-exit at q = " + d.q());
        for (int i = 0; i < d.difficulty().length; i++) {
            expected.add(d.difficulty()[i], d.meanExpectedDepth()[i]);
            oracle.add(d.difficulty()[i], d.meanOracleDepth()[i]);
            qExit.add(d.difficulty()[i], d.meanQExitDepth()[i]);
        }
        XYSeriesCollection data = new XYSeriesCollection(expected);
        data.addSeries(oracle);
        data.addSeries(qExit);
        JFreeChart chart = ChartFactory.createXYLineChart("Exit depth against difficulty", "difficulty (hops)",
                "loop steps used", data, PlotOrientation.VERTICAL, true, true, false);
        XYPlot plot = chart.getXYPlot();
        FigureTheme.markers(plot, 3);
        ((NumberAxis) plot.getDomainAxis()).setTickUnit(new NumberTickUnit(1));
        ((NumberAxis) plot.getRangeAxis()).setRange(0.8, d.steps() + 0.2);
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("difficulty", d.difficulty());
        json.put("questions", d.count());
        json.put("mean_expected_depth", d.meanExpectedDepth());
        json.put("mean_oracle_depth", d.meanOracleDepth());
        json.put("mean_q_exit_depth", d.meanQExitDepth());
        json.put("accuracy", d.accuracy());
        json.put("expected_depth_se", d.expectedDepthSe());
        json.put("oracle_depth_se", d.oracleDepthSe());
        json.put("step_accuracy", d.stepAccuracy());
        json.put("q", d.q());
        json.put("steps", d.steps());
        return new Figure("exit-depth", chart, d.toCsv(), json);
    }
}
