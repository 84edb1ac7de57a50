package org.looplens.engine.train;

import org.looplens.engine.run.ForwardTape;

/**
 * Plain next-token cross-entropy of the last step's logits, for baselines: a non-looped model
 * (T = 1) or a deep model with more distinct layers and one step. Earlier steps and the gate get
 * no gradient.
 */
public final class LastStepCrossEntropy implements Objective {

    @Override
    public LossReport evaluate(ForwardTape tape, Batch batch, StepGradients out) {
        int steps = tape.steps();
        int rows = batch.rows();
        int vocab = tape.logits(0).length / rows;
        int m = batch.countedRows();
        int last = steps - 1;
        out.logits[last] = new float[rows * vocab];
        double[] stepLoss = new double[steps];
        double[] pdf = new double[steps];
        pdf[last] = 1;
        for (int r = 0; r < rows; r++) {
            if (!batch.counts(r)) {
                continue;
            }
            int target = batch.target(r);
            for (int t = 0; t < steps; t++) {
                stepLoss[t] += RowLoss.crossEntropy(tape.logits(t), r * vocab, vocab, target);
            }
            RowLoss.crossEntropyGradient(tape.logits(last), r * vocab, vocab, target, 1.0 / m, out.logits[last]);
        }
        for (int t = 0; t < steps; t++) {
            stepLoss[t] /= m;
        }
        return new LossReport(stepLoss[last], stepLoss, stepLoss[last], 0, pdf, m);
    }
}
