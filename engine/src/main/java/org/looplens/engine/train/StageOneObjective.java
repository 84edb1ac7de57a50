package org.looplens.engine.train;

import org.looplens.engine.run.ForwardTape;

/**
 * Ouro's Stage I objective, per counted position: {@code Σ_t p(t)·L_t − β·H(p)}, averaged over
 * positions, where L_t is step t's next-token cross-entropy and p the exit distribution of the
 * gate. The ablation variant replaces the entropy bonus by {@code β·KL(p ‖ π)} towards a
 * truncated geometric prior π; with π uniform it differs from the entropy form by a constant.
 */
public final class StageOneObjective implements Objective {
    private final double beta;
    private final double priorLambda; // NaN for the entropy form

    private StageOneObjective(double beta, double priorLambda) {
        this.beta = beta;
        this.priorLambda = priorLambda;
    }

    /** The paper's form with entropy regularisation (β = 0.1 by default). */
    public static StageOneObjective entropy(double beta) {
        return new StageOneObjective(beta, Double.NaN);
    }

    /** KL to a geometric prior π(t) ∝ λ_p (1−λ_p)^t over the T steps. */
    public static StageOneObjective geometricPrior(double beta, double priorLambda) {
        if (!(priorLambda > 0 && priorLambda < 1)) {
            throw new IllegalArgumentException("prior λ must lie in (0, 1), got " + priorLambda);
        }
        return new StageOneObjective(beta, priorLambda);
    }

    public double beta() {
        return beta;
    }

    @Override
    public LossReport evaluate(ForwardTape tape, Batch batch, StepGradients out) {
        int steps = tape.steps();
        int rows = batch.rows();
        double[] logPrior = logPrior(steps);
        int m = batch.countedRows();
        StepRow row = new StepRow(tape, rows);
        int vocab = row.vocab();
        for (int t = 0; t < steps; t++) {
            out.useLogits(t, rows * vocab);
            out.useGate(t, rows);
        }
        double[] dp = new double[steps];
        double[] dLambda = new double[steps];
        ReportBuilder report = new ReportBuilder(steps);
        for (int r = 0; r < rows; r++) {
            if (!batch.counts(r)) {
                continue;
            }
            row.read(r, batch.target(r));
            double rowLoss = 0;
            for (int t = 0; t < steps; t++) {
                double p = row.p[t];
                double logP = Math.log(Math.max(p, 1e-300));
                rowLoss += p * row.ce[t] + (p > 0 ? beta * p * (logP - logPrior[t]) : 0);
                dp[t] = (row.ce[t] + beta * (logP + 1 - logPrior[t])) / m;
                RowLoss.crossEntropyGradient(tape.logits(t), r * vocab, vocab, batch.target(r), p / m, out.logits[t]);
            }
            ExitGradient.backward(row.lambda, dp, dLambda);
            for (int t = 0; t < steps; t++) {
                out.gate[t][r] = (float) (dLambda[t] * row.lambda[t] * (1 - row.lambda[t]));
            }
            report.add(row, rowLoss);
        }
        return report.build();
    }

    private double[] logPrior(int steps) {
        double[] lp = new double[steps];
        if (Double.isNaN(priorLambda)) {
            return lp; // entropy form: Σ p ln p
        }
        double z = 0;
        for (int t = 0; t < steps; t++) {
            z += priorLambda * Math.pow(1 - priorLambda, t);
        }
        for (int t = 0; t < steps; t++) {
            lp[t] = Math.log(priorLambda * Math.pow(1 - priorLambda, t) / z);
        }
        return lp;
    }
}
