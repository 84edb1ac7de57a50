package org.looplens.engine.train;

/**
 * The sums behind the next metrics record: what the optimiser steps since the previous record
 * added up to. Saved with every checkpoint, so a resumed run writes the same records as one that
 * was never interrupted (apart from the wall-clock fields).
 *
 * @param count       steps summed
 * @param loss        Σ objective
 * @param gradNorm    Σ gradient norm before clipping
 * @param exitEntropy Σ mean exit entropy
 * @param stepLosses  Σ L_t per loop step
 * @param meanExitPdf Σ mean p(t) per loop step
 * @param tokens      training tokens processed
 */
public record MetricsWindow(int count, double loss, double gradNorm, double exitEntropy, double[] stepLosses,
                            double[] meanExitPdf, long tokens) {

    public static MetricsWindow empty(int steps) {
        return new MetricsWindow(0, 0, 0, 0, new double[steps], new double[steps], 0);
    }

    /** This window with one more optimiser step. */
    public MetricsWindow plus(LossReport r, double norm, int batchTokens) {
        double[] sl = stepLosses.clone();
        double[] pdf = meanExitPdf.clone();
        for (int t = 0; t < sl.length; t++) {
            sl[t] += r.stepLosses()[t];
            pdf[t] += r.meanExitPdf()[t];
        }
        return new MetricsWindow(count + 1, loss + r.loss(), gradNorm + norm, exitEntropy + r.exitEntropy(), sl, pdf,
                tokens + batchTokens);
    }

    /** The record of the means, with the timing figures of this process. */
    public MetricsRecord record(int step, int phase, double lr, double seconds, double elapsed, double eta) {
        double[] sl = new double[stepLosses.length];
        double[] p = new double[meanExitPdf.length];
        double depth = 0;
        for (int t = 0; t < sl.length; t++) {
            sl[t] = stepLosses[t] / count;
            p[t] = meanExitPdf[t] / count;
            depth += p[t] * (t + 1);
        }
        return new MetricsRecord(step, phase, loss / count, sl, p, depth, exitEntropy / count, gradNorm / count, lr,
                tokens / Math.max(seconds, 1e-9), elapsed, eta);
    }
}
