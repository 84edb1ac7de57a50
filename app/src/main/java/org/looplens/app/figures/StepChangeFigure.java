package org.looplens.app.figures;

import org.jfree.chart.ChartFactory;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.axis.NumberTickUnit;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.plot.XYPlot;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;
import org.looplens.analyses.trajectory.LatentTrajectories;

/**
 * The mean relative change ‖h_t − h_{t−1}‖ / ‖h_t‖ of the traced states at every loop step, the
 * trained T marked: a curve that falls past it means the loop settles, one that stays up means it drifts.
 */
public final class StepChangeFigure {
    private StepChangeFigure() {}

    public static Figure of(LatentTrajectories tr) {
        XYSeries change = new XYSeries("mean relative change");
        double[] mean = tr.changes().meanRelativeChange();
        for (int t = 1; t < tr.steps(); t++) {
            change.add(t + 1, mean[t - 1]); // 1-based: the change made by loop step t + 1
        }
        JFreeChart chart = ChartFactory.createXYLineChart("Latent change per loop step ("
                        + tr.changes().convergence().key() + ")", "loop step", "‖h_t − h_{t−1}‖ / ‖h_t‖",
                new XYSeriesCollection(change), PlotOrientation.VERTICAL, false, true, false);
        XYPlot plot = chart.getXYPlot();
        FigureTheme.markers(plot, 1);
        plot.addDomainMarker(FigureTheme.referenceLine(tr.trainedSteps(), "trained T"));
        NumberAxis x = (NumberAxis) plot.getDomainAxis();
        x.setTickUnit(new NumberTickUnit(1));
        x.setRange(1.8, Math.max(tr.steps(), tr.trainedSteps()) + 0.2);
        ((NumberAxis) plot.getRangeAxis()).setAutoRangeIncludesZero(true);
        return new Figure("step-change", chart, tr.changes().toCsv(), TrajectoryFigure.json(tr));
    }
}
