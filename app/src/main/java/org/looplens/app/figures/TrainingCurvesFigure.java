package org.looplens.app.figures;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.CombinedDomainXYPlot;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;
import org.looplens.engine.train.MetricsRecord;

/**
 * A training run's curves against the optimiser step: the objective and each loop step's own
 * next-token loss L_t above, the expected exit depth Σ p(t)(t+1) below.
 */
public final class TrainingCurvesFigure {
    private TrainingCurvesFigure() {}

    /** The series the chart plots, so a live view can append to them as records arrive. */
    public record Series(XYSeriesCollection losses, XYSeriesCollection depth) {
        public static Series empty(int loopSteps) {
            XYSeriesCollection losses = new XYSeriesCollection();
            losses.addSeries(new XYSeries("objective"));
            for (int t = 0; t < loopSteps; t++) {
                losses.addSeries(new XYSeries("L_" + (t + 1)));
            }
            return new Series(losses, new XYSeriesCollection(new XYSeries("expected depth")));
        }

        public void add(MetricsRecord r) {
            losses.getSeries(0).add(r.step(), r.loss());
            for (int t = 0; t < r.stepLosses().length && t + 1 < losses.getSeriesCount(); t++) {
                losses.getSeries(t + 1).add(r.step(), r.stepLosses()[t]);
            }
            depth.getSeries(0).add(r.step(), r.expectedDepth());
        }
    }

    public static JFreeChart chart(Series series) {
        XYPlot lossPlot = new XYPlot(series.losses(), null, axis("loss (nats)"), new XYLineAndShapeRenderer(true, false));
        XYPlot depthPlot = new XYPlot(series.depth(), null, axis("expected depth"), new XYLineAndShapeRenderer(true, false));
        CombinedDomainXYPlot plot = new CombinedDomainXYPlot(new NumberAxis("optimiser step"));
        plot.add(lossPlot, 3);
        plot.add(depthPlot, 1);
        plot.setGap(6);
        return new JFreeChart("Training", JFreeChart.DEFAULT_TITLE_FONT, plot, true);
    }

    public static Figure of(List<MetricsRecord> records) {
        if (records.isEmpty()) {
            throw new IllegalArgumentException("the run has no training records yet");
        }
        int loopSteps = records.get(0).stepLosses().length;
        Series series = Series.empty(loopSteps);
        StringBuilder csv = new StringBuilder("step,phase,loss,expected_depth,learning_rate,tokens_per_s");
        for (int t = 0; t < loopSteps; t++) {
            csv.append(",loss_step_").append(t + 1);
        }
        csv.append('\n');
        List<Map<String, Object>> rows = new ArrayList<>();
        for (MetricsRecord r : records) {
            series.add(r);
            csv.append(r.step()).append(',').append(r.phase()).append(',').append(r.loss()).append(',')
                    .append(r.expectedDepth()).append(',').append(r.learningRate()).append(',').append(r.tokensPerSecond());
            for (double l : r.stepLosses()) {
                csv.append(',').append(l);
            }
            csv.append('\n');
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("step", r.step());
            row.put("loss", r.loss());
            row.put("step_losses", r.stepLosses());
            row.put("expected_depth", r.expectedDepth());
            row.put("learning_rate", r.learningRate());
            rows.add(row);
        }
        return new Figure("training-curves", chart(series), csv.toString(), Map.of("records", rows));
    }

    private static NumberAxis axis(String label) {
        NumberAxis a = new NumberAxis(label);
        a.setAutoRangeIncludesZero(false);
        return a;
    }
}
