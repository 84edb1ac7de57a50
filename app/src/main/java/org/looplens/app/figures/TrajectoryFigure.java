package org.looplens.app.figures;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.plot.XYPlot;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;
import org.looplens.analyses.trajectory.LatentTrajectories;
import org.looplens.analyses.trajectory.TracedToken;

/**
 * Each traced token's path through the loop steps in the plane of the first two principal
 * components, a marker at every step. Past {@link #DRAWN} tokens the chart stays readable by
 * drawing only the first ones; the CSV and JSON hold every path.
 */
public final class TrajectoryFigure {
    /** The most paths drawn in one chart. */
    public static final int DRAWN = 24;

    private TrajectoryFigure() {}

    /** The paths, each series named by {@code label}; with one component, PC1 is drawn against the step. */
    public static Figure of(LatentTrajectories tr, Function<TracedToken, String> label) {
        int k = tr.pca().components().length;
        XYSeriesCollection data = new XYSeriesCollection();
        int drawn = Math.min(DRAWN, tr.traced().size());
        for (int i = 0; i < drawn; i++) {
            XYSeries s = new XYSeries(label.apply(tr.traced().get(i)), false, true);
            for (int t = 0; t < tr.steps(); t++) {
                s.add(tr.path()[i][t][0], k > 1 ? tr.path()[i][t][1] : t + 1);
            }
            data.addSeries(s);
        }
        double[] ratio = tr.explainedRatio();
        String title = "Latent paths through " + tr.steps() + " loop steps"
                + (drawn < tr.traced().size() ? " (first " + drawn + " of " + tr.traced().size() + ")" : "");
        JFreeChart chart = ChartFactory.createXYLineChart(title, axis(1, ratio[0]),
                k > 1 ? axis(2, ratio[1]) : "loop step", data, PlotOrientation.VERTICAL, drawn <= 8, true, false);
        XYPlot plot = chart.getXYPlot();
        FigureTheme.markers(plot, drawn);
        return new Figure("trajectories", chart, tr.toCsv(), json(tr));
    }

    private static String axis(int component, double ratio) {
        return String.format(java.util.Locale.ROOT, "PC%d (%.1f%% of variance)", component, 100 * ratio);
    }

    /** Every number of the analysis, shared by the paths and the step-change figures. */
    static Map<String, Object> json(LatentTrajectories tr) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("state", tr.kind().name().toLowerCase(java.util.Locale.ROOT));
        m.put("steps", tr.steps());
        m.put("trained_steps", tr.trainedSteps());
        m.put("extrapolated", tr.extrapolated());
        List<TracedToken> traced = tr.traced();
        m.put("prompt", traced.stream().mapToInt(TracedToken::prompt).toArray());
        m.put("position", traced.stream().mapToInt(TracedToken::position).toArray());
        m.put("token", traced.stream().mapToInt(TracedToken::token).toArray());
        m.put("explained_ratio", tr.explainedRatio());
        m.put("path", tr.path());
        m.put("step_distance", tr.changes().stepDistance());
        m.put("relative_change", tr.changes().relativeChange());
        m.put("cosine", tr.changes().cosine());
        m.put("distance_to_last", tr.changes().distanceToLast());
        m.put("mean_relative_change", tr.changes().meanRelativeChange());
        m.put("convergence", tr.changes().convergence().key());
        double ratio = tr.changes().changeRatio();
        m.put("change_ratio", Double.isNaN(ratio) ? null : ratio);
        return m;
    }
}
