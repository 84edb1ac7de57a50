package org.looplens.app.figures;

import java.util.LinkedHashMap;
import java.util.Map;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.plot.XYPlot;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;
import org.looplens.analyses.exit.ExitRuleComparison;

/** Each exit rule as one point: its accuracy against the loop steps it spends. */
public final class ExitRulesFigure {
    private ExitRulesFigure() {}

    public static Figure of(ExitRuleComparison c, int steps) {
        XYSeriesCollection points = new XYSeriesCollection();
        for (int r = 0; r < c.rules().size(); r++) {
            XYSeries s = new XYSeries(c.rules().get(r));
            s.add(c.meanDepth()[r], c.accuracy()[r]);
            points.addSeries(s);
        }
        JFreeChart chart = ChartFactory.createScatterPlot("Exit rules: accuracy against compute", "mean loop steps used",
                "accuracy", points, PlotOrientation.VERTICAL, true, true, false);
        XYPlot plot = chart.getXYPlot();
        FigureTheme.markers(plot, c.rules().size());
        ((NumberAxis) plot.getDomainAxis()).setRange(0.8, steps + 0.2);
        ((NumberAxis) plot.getRangeAxis()).setRange(0, 1.02);
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("rules", c.rules());
        json.put("accuracy", c.accuracy());
        json.put("mean_depth", c.meanDepth());
        json.put("agreement_with_oracle", c.agreement());
        json.put("q", c.q());
        json.put("questions", c.questions());
        return new Figure("exit-rules", chart, c.toCsv(), json);
    }
}
