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
        int m = batch.countedRows();
        int last = steps - 1;
        StepRow row = new StepRow(tape, rows);
        int vocab = row.vocab();
        out.useLogits(last, rows * vocab);
        ReportBuilder report = new ReportBuilder(steps);
        for (int r = 0; r < rows; r++) {
            if (!batch.counts(r)) {
                continue;
            }
            row.read(r, batch.target(r));
            java.util.Arrays.fill(row.p, 0);
            row.p[last] = 1; // this objective reads only the last step
            report.add(row, row.ce[last]);
            RowLoss.crossEntropyGradient(tape.logits(last), r * vocab, vocab, batch.target(r), 1.0 / m, out.logits[last]);
        }
        return report.build();
    }
}
