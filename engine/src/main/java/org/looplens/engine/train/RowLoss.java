package org.looplens.engine.train;

import org.looplens.engine.run.CrossEntropy;

/** Next-token cross-entropy of one logits row and its gradient, in double. */
final class RowLoss {
    private RowLoss() {}

    /** −log softmax(logits[off..off+vocab))[target]. */
    static double crossEntropy(float[] logits, int off, int vocab, int target) {
        return CrossEntropy.logSumExp(logits, off, vocab) - logits[off + target];
    }

    /** Writes {@code scale · (softmax − onehot(target))} into {@code grad[off..off+vocab)}. */
    static void crossEntropyGradient(float[] logits, int off, int vocab, int target, double scale, float[] grad) {
        double lse = CrossEntropy.logSumExp(logits, off, vocab);
        for (int j = 0; j < vocab; j++) {
            double p = Math.exp(logits[off + j] - lse);
            grad[off + j] = (float) (scale * (j == target ? p - 1 : p));
        }
    }

    static double sigmoid(double z) {
        return 1.0 / (1.0 + Math.exp(-z));
    }

    /** log(1 + e^z) without overflow. */
    static double softplus(double z) {
        return z > 0 ? z + Math.log1p(Math.exp(-z)) : Math.log1p(Math.exp(z));
    }
}
