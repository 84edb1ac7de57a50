package org.looplens.app.figures;

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
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;
import org.looplens.app.compare.ComparisonResult;
import org.looplens.app.compare.DifficultyAccuracy;
import org.looplens.app.compare.MemberResult;

/**
 * Held-out accuracy per difficulty (hop count, depth), one line per model of a comparison, with
 * the edge of the training range marked when harder questions were held out.
 */
public final class AccuracyByDifficultyFigure {
    private AccuracyByDifficultyFigure() {}

    public static Figure of(ComparisonResult r) {
        XYSeriesCollection data = new XYSeriesCollection();
        StringBuilder csv = new StringBuilder("member,difficulty,beyond_training,questions,accuracy\n");
        List<Map<String, Object>> json = new ArrayList<>();
        boolean beyond = false;
        for (MemberResult m : r.members()) {
            XYSeries s = new XYSeries(m.name(), true, false);
            for (DifficultyAccuracy d : m.byDifficulty()) {
                s.add(d.difficulty(), d.accuracy());
                beyond |= d.beyondTraining();
                csv.append(String.format(Locale.ROOT, "%s,%d,%b,%d,%s%n", m.name(), d.difficulty(), d.beyondTraining(),
                        d.questions(), d.accuracy()));
            }
            data.addSeries(s);
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("member", m.name());
            row.put("by_difficulty", m.byDifficulty());
            json.add(row);
        }
        JFreeChart chart = ChartFactory.createXYLineChart("Held-out accuracy by difficulty", "difficulty (hops, depth)",
                "accuracy", data, PlotOrientation.VERTICAL, true, true, false);
        XYPlot plot = chart.getXYPlot();
        FigureTheme.markers(plot, data.getSeriesCount());
        NumberAxis x = (NumberAxis) plot.getDomainAxis();
        x.setStandardTickUnits(NumberAxis.createIntegerTickUnits());
        ((NumberAxis) plot.getRangeAxis()).setRange(0, 1.02);
        if (beyond && r.trainedUpTo() != null) {
            plot.addDomainMarker(FigureTheme.referenceLine(r.trainedUpTo() + 0.5, "beyond training"));
        }
        return new Figure("accuracy-by-difficulty", chart, csv.toString(), json);
    }
}
