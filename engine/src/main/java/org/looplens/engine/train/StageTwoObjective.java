package org.looplens.engine.train;

import org.looplens.engine.run.ForwardTape;

/**
 * Ouro's Stage II: train the exit gate alone on a frozen model. For steps t ≥ 1 the improvement
 * {@code I_t = max(0, L_{t−1} − L_t)} of the (detached) per-token loss sets a target
 * {@code w_t = σ(k·(I_t − γ))} for continuing; the loss is
 * {@code (1/T) Σ_{t≥1} mean_i BCE(w_t, 1 − λ_t)}. Defaults k = 50, γ = 0.005.
 */
public final class StageTwoObjective implements Objective {
    private final double k;
    private final double gamma;

    public StageTwoObjective(double k, double gamma) {
        this.k = k;
        this.gamma = gamma;
    }

    public static StageTwoObjective defaults() {
        return new StageTwoObjective(50.0, 0.005);
    }

    @Override
    public boolean trainsLanguageModel() {
        return false;
    }

    @Override
    public LossReport evaluate(ForwardTape tape, Batch batch, StepGradients out) {
        int steps = tape.steps();
        int rows = batch.rows();
        int m = batch.countedRows();
        for (int t = 0; t < steps; t++) {
            out.useGate(t, rows);
        }
        StepRow row = new StepRow(tape, rows);
        ReportBuilder report = new ReportBuilder(steps);
        for (int r = 0; r < rows; r++) {
            if (!batch.counts(r)) {
                continue;
            }
            row.read(r, batch.target(r));
            double rowLoss = 0;
            for (int t = 1; t < steps; t++) {
                double improvement = Math.max(0, row.ce[t - 1] - row.ce[t]);
                double w = RowLoss.sigmoid(k * (improvement - gamma));
                double g = tape.gateLogits(t)[r];
                rowLoss += (w * RowLoss.softplus(g) + (1 - w) * RowLoss.softplus(-g)) / steps;
                out.gate[t][r] = (float) ((w - (1 - row.lambda[t])) / steps / m);
            }
            report.add(row, rowLoss);
        }
        return report.build();
    }
}
