package org.looplens.app.figures;

import java.text.DecimalFormat;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;
import org.looplens.app.compare.ComparisonResult;
import org.looplens.app.compare.ExitCurve;
import org.looplens.app.compare.MemberResult;

/**
 * Held-out accuracy against FLOPs per question: one point per model of a comparison, and each
 * LoopLM's Q-exit sweep as its own curve (the compute it saves by stopping early).
 */
public final class AccuracyComputeFigure {
    private AccuracyComputeFigure() {}

    public static Figure of(ComparisonResult r) {
        XYSeriesCollection data = new XYSeriesCollection();
        List<Boolean> isCurve = new ArrayList<>();
        StringBuilder csv = new StringBuilder("series,q,flops_per_question,accuracy\n");
        List<Map<String, Object>> json = new ArrayList<>();
        for (MemberResult m : r.members()) {
            XYSeries point = new XYSeries(m.name(), false, true);
            point.add(m.flopsPerQuestion(), m.accuracy());
            data.addSeries(point);
            isCurve.add(false);
            csv.append(String.format(Locale.ROOT, "%s,,%s,%s%n", m.name(), m.flopsPerQuestion(), m.accuracy()));
            json.add(Map.of("series", m.name(), "flops_per_question", m.flopsPerQuestion(), "accuracy", m.accuracy()));
        }
        for (MemberResult m : r.members()) {
            ExitCurve e = m.exitSweep();
            if (e == null) {
                continue;
            }
            String name = m.name() + " Q-exit";
            XYSeries curve = new XYSeries(name, false, true);
            for (int i = 0; i < e.q().length; i++) {
                curve.add(e.flopsPerQuestion()[i], e.accuracy()[i]);
                csv.append(String.format(Locale.ROOT, "%s,%s,%s,%s%n", name, e.q()[i], e.flopsPerQuestion()[i],
                        e.accuracy()[i]));
            }
            data.addSeries(curve);
            isCurve.add(true);
            Map<String, Object> c = new LinkedHashMap<>();
            c.put("series", name);
            c.put("q", e.q());
            c.put("flops_per_question", e.flopsPerQuestion());
            c.put("accuracy", e.accuracy());
            json.add(c);
        }
        JFreeChart chart = ChartFactory.createXYLineChart("Accuracy against compute", "FLOPs per question",
                "held-out accuracy", data, PlotOrientation.VERTICAL, true, true, false);
        XYPlot plot = chart.getXYPlot();
        FigureTheme.markers(plot, data.getSeriesCount());
        XYLineAndShapeRenderer renderer = (XYLineAndShapeRenderer) plot.getRenderer();
        for (int s = 0; s < isCurve.size(); s++) {
            renderer.setSeriesLinesVisible(s, isCurve.get(s));
            renderer.setSeriesShapesVisible(s, true);
        }
        NumberAxis x = (NumberAxis) plot.getDomainAxis();
        x.setAutoRangeIncludesZero(false);
        x.setNumberFormatOverride(new DecimalFormat("0.0#E0"));
        ((NumberAxis) plot.getRangeAxis()).setRange(0, 1.02);
        return new Figure("accuracy-compute", chart, csv.toString(), json);
    }
}
