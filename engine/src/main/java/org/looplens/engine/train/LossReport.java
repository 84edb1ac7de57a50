package org.looplens.engine.train;

/**
 * The value of an objective on a batch and what it is made of.
 *
 * @param loss              the objective (what the gradients are of)
 * @param stepLosses        mean next-token CE of each step's logits over the counted rows (L_t)
 * @param expectedTaskLoss  mean over rows of Σ_t p(t)·CE_t
 * @param exitEntropy       mean entropy of the exit distribution over the counted rows
 * @param meanExitPdf       mean p(t) per step over the counted rows
 * @param countedRows       rows the means run over
 */
public record LossReport(double loss, double[] stepLosses, double expectedTaskLoss, double exitEntropy,
                         double[] meanExitPdf, int countedRows) {

    /** Σ_t p̄(t)·(t+1): the mean number of loop steps the exit distribution uses. */
    public double expectedDepth() {
        double d = 0;
        for (int t = 0; t < meanExitPdf.length; t++) {
            d += meanExitPdf[t] * (t + 1);
        }
        return d;
    }

    public boolean finite() {
        return Double.isFinite(loss);
    }
}
