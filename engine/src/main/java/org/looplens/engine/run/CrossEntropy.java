package org.looplens.engine.run;

import org.looplens.engine.tensor.FloatTensor;

/**
 * Next-token cross-entropy in nats: position i predicts token i+1, so a sequence of L tokens has
 * L−1 losses. Log-sum-exp is taken in double with the max subtracted.
 */
public final class CrossEntropy {
    private CrossEntropy() {}

    /** Per-position losses {@code −log softmax(logits[i])[tokens[i+1]]}, i = 0..L−2. */
    public static double[] perPosition(FloatTensor logits, int[] tokens) {
        int vocab = logits.dim(1);
        double[] ce = new double[tokens.length - 1];
        float[] d = logits.data();
        for (int i = 0; i < ce.length; i++) {
            ce[i] = logSumExp(d, i * vocab, vocab) - d[i * vocab + tokens[i + 1]];
        }
        return ce;
    }

    public static double logSumExp(float[] x, int offset, int n) {
        double max = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < n; i++) {
            max = Math.max(max, x[offset + i]);
        }
        double sum = 0;
        for (int i = 0; i < n; i++) {
            sum += Math.exp(x[offset + i] - max);
        }
        return max + Math.log(sum);
    }

    public static double mean(double[] values) {
        double s = 0;
        for (double v : values) {
            s += v;
        }
        return values.length == 0 ? Double.NaN : s / values.length;
    }
}
