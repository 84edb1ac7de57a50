package org.looplens.engine.run;

/**
 * The exit distribution over loop steps defined by the gate values λ_t of each position:
 * p(t) = λ_t Π_{j&lt;t}(1−λ_j) for t &lt; T−1, and the last step takes the remaining mass
 * p(T−1) = Π_{j&lt;T−1}(1−λ_j). Computed in double from the float λ values.
 *
 * <p>Arrays are {@code [position][step]}.
 */
public final class ExitDistribution {
    private final double[][] pdf;
    private final double[][] cdf;
    private final double[][] survival;
    private final double[] entropy;

    private ExitDistribution(double[][] pdf, double[][] cdf, double[][] survival, double[] entropy) {
        this.pdf = pdf;
        this.cdf = cdf;
        this.survival = survival;
        this.entropy = entropy;
    }

    /** Builds the distribution from λ given as {@code [step][position]}. */
    public static ExitDistribution fromLambda(float[][] lambda) {
        int steps = lambda.length;
        int positions = steps == 0 ? 0 : lambda[0].length;
        Tracker tracker = new Tracker(steps, positions);
        for (int t = 0; t < steps; t++) {
            tracker.step(t, lambda[t]);
        }
        return tracker.finish();
    }

    /**
     * Builds the distribution step by step, so a run can act on p(t) and the CDF as soon as step
     * t is known (Q-exit and the mixture need them before the loop ends).
     */
    public static final class Tracker {
        private final int steps;
        private final double[][] pdf;
        private final double[][] cdf;
        private final double[][] survival;
        private final double[] remaining;

        public Tracker(int steps, int positions) {
            this.steps = steps;
            pdf = new double[positions][steps];
            cdf = new double[positions][steps];
            survival = new double[positions][steps];
            remaining = new double[positions];
            java.util.Arrays.fill(remaining, 1.0);
        }

        /** Feeds λ of step t (per position) and returns p(t) per position. */
        public double[] step(int t, float[] lambda) {
            double[] p = new double[remaining.length];
            for (int i = 0; i < remaining.length; i++) {
                if (t < steps - 1) {
                    p[i] = lambda[i] * remaining[i];
                    remaining[i] *= 1.0 - lambda[i];
                } else {
                    p[i] = remaining[i];
                }
                pdf[i][t] = p[i];
                cdf[i][t] = (t == 0 ? 0 : cdf[i][t - 1]) + p[i];
                survival[i][t] = remaining[i];
            }
            return p;
        }

        /** The CDF at step t of position i (valid once step t was fed). */
        public double cdf(int i, int t) {
            return cdf[i][t];
        }

        /** Whether Q-exit with threshold q leaves position i at step t (valid once step t was fed). */
        public boolean exitsAt(int i, int t, double q) {
            return t == steps - 1 || (q < 1 && cdf[i][t] >= q);
        }

        public ExitDistribution finish() {
            double[] h = new double[pdf.length];
            for (int i = 0; i < pdf.length; i++) {
                double e = 0;
                for (double p : pdf[i]) {
                    if (p > 0) {
                        e -= p * Math.log(p);
                    }
                }
                h[i] = e;
            }
            return new ExitDistribution(pdf, cdf, survival, h);
        }
    }

    public int positions() {
        return pdf.length;
    }

    public int steps() {
        return pdf.length == 0 ? 0 : pdf[0].length;
    }

    public double pdf(int position, int step) {
        return pdf[position][step];
    }

    public double cdf(int position, int step) {
        return cdf[position][step];
    }

    /**
     * Mass left after step t: Π_{j≤t}(1−λ_j) for t &lt; T−1; the last column repeats
     * Π_{j&lt;T−1}(1−λ_j), the mass the last step takes.
     */
    public double survival(int position, int step) {
        return survival[position][step];
    }

    /** Entropy −Σ p ln p of the exit distribution (nats). */
    public double entropy(int position) {
        return entropy[position];
    }

    /** Expected 1-based depth Σ_t p(t)·(t+1): the mean number of loop steps used. */
    public double expectedDepth(int position) {
        double d = 0;
        for (int t = 0; t < steps(); t++) {
            d += pdf[position][t] * (t + 1);
        }
        return d;
    }

    /** Q-exit: the first 0-based step whose CDF reaches q, or the last step. */
    public int exitStep(int position, double q) {
        return qExitStep(cdf[position], q);
    }

    static int qExitStep(double[] cdfRow, double q) {
        if (q >= 1) {
            return cdfRow.length - 1; // no early exit, even where a saturated gate makes the CDF 1 early
        }
        for (int t = 0; t < cdfRow.length - 1; t++) {
            if (cdfRow[t] >= q) {
                return t;
            }
        }
        return cdfRow.length - 1;
    }
}
