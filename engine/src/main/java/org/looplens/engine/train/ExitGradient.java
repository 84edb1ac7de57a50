package org.looplens.engine.train;

/**
 * The exit distribution of one position and its backward pass: p(t) = λ_t·S_{t−1} for t &lt; T−1
 * and p(T−1) = S_{T−2}, with S_t = Π_{j≤t}(1−λ_j). Reverse mode over the survival products,
 * without divisions, so λ = 0 or 1 is safe.
 */
final class ExitGradient {
    private ExitGradient() {}

    /** Fills {@code p} from {@code lambda}. */
    static void pdf(double[] lambda, double[] p) {
        int steps = lambda.length;
        double survival = 1;
        for (int t = 0; t < steps - 1; t++) {
            p[t] = lambda[t] * survival;
            survival *= 1 - lambda[t];
        }
        p[steps - 1] = survival;
    }

    /** Given d loss / d p(t), writes d loss / d λ_t (the last λ gets 0: p ignores it). */
    static void backward(double[] lambda, double[] dp, double[] dLambda) {
        int steps = lambda.length;
        double[] before = new double[steps]; // S_{t−1}
        double survival = 1;
        for (int t = 0; t < steps; t++) {
            before[t] = survival;
            survival *= 1 - lambda[t];
        }
        java.util.Arrays.fill(dLambda, 0);
        if (steps == 1) {
            return;
        }
        double dS = dp[steps - 1]; // gradient w.r.t. S_{T−2}
        for (int t = steps - 2; t >= 0; t--) {
            // p_t = λ_t·S_{t−1} and S_t = S_{t−1}·(1−λ_t); dS holds d/dS_t.
            dLambda[t] = dp[t] * before[t] - dS * before[t];
            dS = dp[t] * lambda[t] + dS * (1 - lambda[t]);
        }
    }
}
