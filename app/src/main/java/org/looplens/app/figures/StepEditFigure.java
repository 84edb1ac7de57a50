package org.looplens.app.figures;

import java.awt.Color;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.plot.CategoryPlot;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.plot.ValueMarker;
import org.jfree.data.category.DefaultCategoryDataset;
import org.looplens.analyses.patching.StepEditEffects;

/** Bars of the answer's logit difference with each loop step skipped or repeated; the unedited run as a line. */
public final class StepEditFigure {
    private StepEditFigure() {}

    public static Figure of(StepEditEffects e) {
        DefaultCategoryDataset data = new DefaultCategoryDataset();
        for (int t = 0; t < e.steps(); t++) {
            String step = "step " + (t + 1);
            data.addValue(e.skipDiff()[t], "skipped", step);
            data.addValue(e.repeatDiff()[t], "repeated", step);
        }
        JFreeChart chart = ChartFactory.createBarChart("Skipping or repeating one loop step", "loop step",
                "logit difference", data, PlotOrientation.VERTICAL, true, true, false);
        CategoryPlot plot = chart.getCategoryPlot();
        plot.setBackgroundPaint(Color.WHITE);
        ValueMarker base = FigureTheme.referenceLine(e.baseDiff(), "unedited");
        base.setLabelAnchor(org.jfree.chart.ui.RectangleAnchor.TOP_RIGHT);
        base.setLabelTextAnchor(org.jfree.chart.ui.TextAnchor.BOTTOM_RIGHT);
        plot.addRangeMarker(base);
        chart.setBackgroundPaint(Color.WHITE);
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("metric", e.metric());
        json.put("base_logit_diff", e.baseDiff());
        json.put("base_answer_prob", e.baseProb());
        json.put("skip_logit_diff", e.skipDiff());
        json.put("skip_answer_prob", e.skipProb());
        json.put("repeat_logit_diff", e.repeatDiff());
        json.put("repeat_answer_prob", e.repeatProb());
        json.put("seconds", e.seconds());
        return new Figure("step-edits", chart, e.toCsv(), json);
    }
}
