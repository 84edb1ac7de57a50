package org.looplens.engine.train;

/** Sums the per-row statistics of an objective into a {@link LossReport} of means. */
final class ReportBuilder {
    private final double[] stepLoss;
    private final double[] meanPdf;
    private double loss;
    private double task;
    private double entropy;
    private int rows;

    ReportBuilder(int steps) {
        stepLoss = new double[steps];
        meanPdf = new double[steps];
    }

    /** Adds a row's objective value and its statistics from {@code row}. */
    void add(StepRow row, double rowLoss) {
        for (int t = 0; t < stepLoss.length; t++) {
            stepLoss[t] += row.ce[t];
            meanPdf[t] += row.p[t];
            task += row.p[t] * row.ce[t];
        }
        entropy += row.exitEntropy();
        loss += rowLoss;
        rows++;
    }

    LossReport build() {
        int m = Math.max(1, rows);
        double[] sl = stepLoss.clone();
        double[] pdf = meanPdf.clone();
        for (int t = 0; t < sl.length; t++) {
            sl[t] /= m;
            pdf[t] /= m;
        }
        return new LossReport(loss / m, sl, task / m, entropy / m, pdf, rows);
    }
}
