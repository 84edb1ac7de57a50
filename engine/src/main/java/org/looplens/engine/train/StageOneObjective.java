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
        int vocab = tape.logits(0).length / rows;
        double[] logPrior = logPrior(steps);
        int m = batch.countedRows();
        for (int t = 0; t < steps; t++) {
            out.logits[t] = new float[rows * vocab];
            out.gate[t] = new float[rows];
        }
        double[] lambda = new double[steps];
        double[] p = new double[steps];
        double[] ce = new double[steps];
        double[] dp = new double[steps];
        double[] dLambda = new double[steps];
        double[] stepLoss = new double[steps];
        double[] meanPdf = new double[steps];
        double loss = 0;
        double task = 0;
        double entropy = 0;
        for (int r = 0; r < rows; r++) {
            if (!batch.counts(r)) {
                continue;
            }
            int target = batch.target(r);
            for (int t = 0; t < steps; t++) {
                lambda[t] = RowLoss.sigmoid(tape.gateLogits(t)[r]);
                ce[t] = RowLoss.crossEntropy(tape.logits(t), r * vocab, vocab, target);
            }
            ExitGradient.pdf(lambda, p);
            double rowTask = 0;
            double rowReg = 0;
            double rowEntropy = 0;
            for (int t = 0; t < steps; t++) {
                double logP = Math.log(Math.max(p[t], 1e-300));
                rowTask += p[t] * ce[t];
                if (p[t] > 0) {
                    rowEntropy -= p[t] * logP;
                    rowReg += p[t] * (logP - logPrior[t]);
                }
                dp[t] = (ce[t] + beta * (logP + 1 - logPrior[t])) / m;
                stepLoss[t] += ce[t];
                meanPdf[t] += p[t];
                RowLoss.crossEntropyGradient(tape.logits(t), r * vocab, vocab, target, p[t] / m, out.logits[t]);
            }
            ExitGradient.backward(lambda, dp, dLambda);
            for (int t = 0; t < steps; t++) {
                out.gate[t][r] = (float) (dLambda[t] * lambda[t] * (1 - lambda[t]));
            }
            loss += rowTask + beta * rowReg;
            task += rowTask;
            entropy += rowEntropy;
        }
        for (int t = 0; t < steps; t++) {
            stepLoss[t] /= m;
            meanPdf[t] /= m;
        }
        return new LossReport(loss / m, stepLoss, task / m, entropy / m, meanPdf, m);
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
