package org.looplens.app.figures;

import java.util.List;
import java.util.Locale;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.plot.XYPlot;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;
import org.looplens.app.compare.FaithfulnessCurveRow;

/** Faithfulness curves of a comparison: the measured value as more of each model's reasoning is intervened on. */
public final class FaithfulnessFigure {
    private FaithfulnessFigure() {}

    public static Figure of(List<FaithfulnessCurveRow> curves) {
        XYSeriesCollection data = new XYSeriesCollection();
        StringBuilder csv = new StringBuilder("model,test,fraction,value,lo,hi\n");
        for (FaithfulnessCurveRow c : curves) {
            XYSeries s = new XYSeries(c.model() + " " + c.test(), true, true);
            for (int i = 0; i < c.fraction().length; i++) {
                s.add(c.fraction()[i], c.value()[i]);
                csv.append(String.format(Locale.ROOT, "%s,%s,%s,%s,%s,%s%n", c.model(), c.test(), c.fraction()[i],
                        c.value()[i], c.lo()[i], c.hi()[i]));
            }
            data.addSeries(s);
        }
        JFreeChart chart = ChartFactory.createXYLineChart("Faithfulness", "fraction of the reasoning intervened on",
                "value", data, PlotOrientation.VERTICAL, true, true, false);
        XYPlot plot = chart.getXYPlot();
        FigureTheme.markers(plot, data.getSeriesCount());
        return new Figure("faithfulness", chart, csv.toString(), curves);
    }
}
