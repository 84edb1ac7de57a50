package org.looplens.engine.train;

import org.looplens.engine.run.ForwardTape;

/**
 * What every objective reads for one counted position: λ_t, the loss L_t of each step's logits
 * and the exit distribution p(t). Filled per row into reused arrays.
 */
final class StepRow {
    final double[] lambda;
    final double[] ce;
    final double[] p;
    private final ForwardTape tape;
    private final int vocab;

    StepRow(ForwardTape tape, int rows) {
        this.tape = tape;
        int steps = tape.steps();
        this.vocab = tape.vocab();
        lambda = new double[steps];
        ce = new double[steps];
        p = new double[steps];
    }

    int vocab() {
        return vocab;
    }

    /** Reads packed row r with its target token. */
    void read(int r, int target) {
        for (int t = 0; t < lambda.length; t++) {
            lambda[t] = RowLoss.sigmoid(tape.gateLogits(t)[r]);
            ce[t] = RowLoss.crossEntropy(tape.logits(t), r * vocab, vocab, target);
        }
        ExitGradient.pdf(lambda, p);
    }

    /** Entropy of the exit distribution of the row last read. */
    double exitEntropy() {
        double h = 0;
        for (double q : p) {
            if (q > 0) {
                h -= q * Math.log(q);
            }
        }
        return h;
    }
}
