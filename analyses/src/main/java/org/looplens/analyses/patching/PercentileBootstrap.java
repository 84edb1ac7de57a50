package org.looplens.analyses.patching;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Percentile bootstrap confidence intervals of means, for many cells measured on the same items
 * (prompts): each resample draws n items with replacement, once for all cells, so the cells keep
 * their joint variation; the interval is the (α/2, 1−α/2) quantiles of the resampled means.
 * Reproducible for a seed.
 *
 * @param mean [cell] the mean over the items
 * @param lo   [cell] the lower end of the interval
 * @param hi   [cell] the upper end
 */
public record PercentileBootstrap(double[] mean, double[] lo, double[] hi) {

    /** {@code values[item][cell]}; {@code confidence} in (0, 1), e.g. 0.95. */
    public static PercentileBootstrap of(double[][] values, int resamples, long seed, double confidence) {
        if (values.length == 0) {
            throw new IllegalArgumentException("the bootstrap needs at least one item");
        }
        if (resamples < 1) {
            throw new IllegalArgumentException("resamples must be at least 1, got " + resamples);
        }
        if (!(confidence > 0 && confidence < 1)) {
            throw new IllegalArgumentException("confidence must lie in (0, 1), got " + confidence);
        }
        int n = values.length;
        int cells = values[0].length;
        double[] mean = new double[cells]; // summed, then divided, like each resample's mean
        for (double[] item : values) {
            for (int c = 0; c < cells; c++) {
                mean[c] += item[c];
            }
        }
        for (int c = 0; c < cells; c++) {
            mean[c] /= n;
        }
        double[][] means = new double[cells][resamples];
        SplittableRandom rng = new SplittableRandom(seed);
        for (int b = 0; b < resamples; b++) {
            double[] sum = new double[cells];
            for (int i = 0; i < n; i++) {
                double[] item = values[rng.nextInt(n)];
                for (int c = 0; c < cells; c++) {
                    sum[c] += item[c];
                }
            }
            for (int c = 0; c < cells; c++) {
                means[c][b] = sum[c] / n;
            }
        }
        double alpha = 1 - confidence;
        double[] lo = new double[cells];
        double[] hi = new double[cells];
        for (int c = 0; c < cells; c++) {
            Arrays.sort(means[c]);
            lo[c] = quantile(means[c], alpha / 2);
            hi[c] = quantile(means[c], 1 - alpha / 2);
        }
        return new PercentileBootstrap(mean, lo, hi);
    }

    /** Linear interpolation between order statistics (NumPy's default). */
    static double quantile(double[] sorted, double q) {
        double at = q * (sorted.length - 1);
        int below = (int) Math.floor(at);
        int above = Math.min(below + 1, sorted.length - 1);
        return sorted[below] + (at - below) * (sorted[above] - sorted[below]);
    }
}
