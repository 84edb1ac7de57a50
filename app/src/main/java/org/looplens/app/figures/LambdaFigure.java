package org.looplens.app.figures;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.axis.NumberTickUnit;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.plot.XYPlot;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;
import org.looplens.analyses.lens.LensQuantity;
import org.looplens.analyses.lens.StepLens;

/** The exit gate's λ_t against the loop step, one line per token of the prompt. */
public final class LambdaFigure {
    private LambdaFigure() {}

    public static Figure of(StepLens lens, List<String> tokenLabels) {
        XYSeriesCollection lines = new XYSeriesCollection();
        StringBuilder csv = new StringBuilder("position,token");
        for (int t = 0; t < lens.steps(); t++) {
            csv.append(",lambda_step_").append(t + 1);
        }
        csv.append('\n');
        double[][] lambda = lens.grids().get(LensQuantity.LAMBDA);
        for (int i = 0; i < lens.length(); i++) {
            XYSeries s = new XYSeries((lens.firstPosition() + i) + ": " + tokenLabels.get(i), false, true);
            csv.append(lens.firstPosition() + i).append(',').append(lens.tokens()[i]);
            for (int t = 0; t < lens.steps(); t++) {
                s.add(t + 1, lambda[i][t]);
                csv.append(',').append(lambda[i][t]);
            }
            csv.append('\n');
            lines.addSeries(s);
        }
        JFreeChart chart = ChartFactory.createXYLineChart("Exit gate λ at every loop step", "loop step", "λ", lines,
                PlotOrientation.VERTICAL, lens.length() <= 12, true, false);
        XYPlot plot = chart.getXYPlot();
        NumberAxis steps = (NumberAxis) plot.getDomainAxis();
        steps.setTickUnit(new NumberTickUnit(1));
        steps.setRange(0.8, lens.steps() + 0.2);
        ((NumberAxis) plot.getRangeAxis()).setRange(0, 1);
        FigureTheme.markers(plot, lines.getSeriesCount());
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("tokens", lens.tokens());
        data.put("token_labels", tokenLabels);
        data.put("lambda", lambda);
        return new Figure("lambda", chart, csv.toString(), data);
    }
}
