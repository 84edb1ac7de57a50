package org.looplens.app.figures;

import java.awt.BasicStroke;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;
import org.looplens.analyses.steering.SteeringEffect;
import org.looplens.analyses.steering.SteeringSweep;

/** A steering sweep: KL from the unsteered output (left axis) and the target's probability (right axis) by strength. */
public final class SteeringFigure {
    private SteeringFigure() {}

    /** {@code targetName} labels the target token (its text, or its id). */
    public static Figure of(SteeringSweep sweep, String targetName) {
        XYSeries kl = new XYSeries("KL(steered ‖ base)", false);
        XYSeries p = new XYSeries("p(" + targetName + ")", false);
        for (SteeringEffect e : sweep.effects()) {
            kl.add(e.strength(), e.kl());
            p.add(e.strength(), e.targetProb());
        }
        JFreeChart chart = ChartFactory.createXYLineChart("Steering at " + sweep.site(), "strength", "KL (nats)",
                new XYSeriesCollection(kl), PlotOrientation.VERTICAL, true, true, false);
        XYPlot plot = chart.getXYPlot();
        FigureTheme.markers(plot, 1);
        NumberAxis prob = new NumberAxis("target probability");
        prob.setRange(0, 1.02);
        plot.setRangeAxis(1, prob);
        plot.setDataset(1, new XYSeriesCollection(p));
        plot.mapDatasetToRangeAxis(1, 1);
        XYLineAndShapeRenderer second = new XYLineAndShapeRenderer(true, true);
        second.setSeriesPaint(0, new java.awt.Color(213, 94, 0));
        second.setSeriesStroke(0, new BasicStroke(1.5f));
        plot.setRenderer(1, second);
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("site", sweep.site().toString());
        json.put("positions", sweep.positions());
        json.put("read_position", sweep.readPosition());
        json.put("target", sweep.target());
        json.put("vector_norm", sweep.vectorNorm());
        json.put("base_top1", sweep.baseTop1());
        json.put("base_target_prob", sweep.baseTargetProb());
        json.put("base_entropy", sweep.baseEntropy());
        json.put("strengths", sweep.strengths());
        json.put("kl", sweep.kl());
        json.put("top1", sweep.effects().stream().mapToInt(SteeringEffect::top1).toArray());
        json.put("changed", sweep.effects().stream().map(SteeringEffect::changed).toList());
        json.put("target_prob", sweep.targetProb());
        json.put("entropy", sweep.entropy());
        return new Figure("steering", chart, sweep.toCsv(), json);
    }
}
