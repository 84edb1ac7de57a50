package org.looplens.app.figures;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntFunction;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.axis.NumberTickUnit;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.plot.XYPlot;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;
import org.looplens.analyses.lens.StepLens;

/**
 * How the final step's top-k candidates at one position gain or lose probability over the loop
 * steps: one line per candidate, probability against step.
 */
public final class StepTopKFigure {
    private StepTopKFigure() {}

    /**
     * @param position  0-based index within the run
     * @param tokenText the text of a token id, for the legend
     */
    public static Figure of(StepLens lens, int position, IntFunction<String> tokenText) {
        if (position < 0 || position >= lens.length()) {
            throw new IllegalArgumentException("position " + position + " is outside the prompt's 0.." + (lens.length() - 1));
        }
        int[] top = lens.finalTop()[position];
        double[][] probs = lens.finalTopProbs()[position];
        XYSeriesCollection lines = new XYSeriesCollection();
        StringBuilder csv = new StringBuilder("rank,token,text");
        for (int t = 0; t < lens.steps(); t++) {
            csv.append(",step_").append(t + 1);
        }
        csv.append('\n');
        List<Map<String, Object>> rows = new ArrayList<>();
        for (int r = 0; r < top.length; r++) {
            String text = tokenText.apply(top[r]);
            XYSeries s = new XYSeries("#" + (r + 1) + " " + text + " (" + top[r] + ")");
            csv.append(r + 1).append(',').append(top[r]).append(',').append(CsvText.quote(text));
            for (int t = 0; t < lens.steps(); t++) {
                s.add(t + 1, probs[r][t]);
                csv.append(',').append(probs[r][t]);
            }
            csv.append('\n');
            lines.addSeries(s);
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("rank", r + 1);
            row.put("token", top[r]);
            row.put("text", text);
            row.put("probability_by_step", probs[r]);
            rows.add(row);
        }
        JFreeChart chart = ChartFactory.createXYLineChart(
                "Final top-" + top.length + " at position " + (lens.firstPosition() + position) + " over the loop",
                "loop step", "probability", lines, PlotOrientation.VERTICAL, true, true, false);
        XYPlot plot = chart.getXYPlot();
        NumberAxis steps = (NumberAxis) plot.getDomainAxis();
        steps.setTickUnit(new NumberTickUnit(1));
        steps.setRange(0.8, lens.steps() + 0.2);
        ((NumberAxis) plot.getRangeAxis()).setRange(0, 1);
        FigureTheme.markers(plot, lines.getSeriesCount());
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("position", lens.firstPosition() + position);
        data.put("steps", lens.steps());
        data.put("candidates", rows);
        return new Figure("step-topk", chart, csv.toString(), data);
    }
}
