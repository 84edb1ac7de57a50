package org.looplens.analyses.readout;

/**
 * What one loop step predicts at one position.
 *
 * @param step       0-based loop step
 * @param topTokens  the k most likely next tokens, most likely first
 * @param topProbs   their probabilities
 * @param entropy    entropy of the next-token distribution (nats)
 * @param lambda     the exit gate's λ at this step
 * @param exitPdf    p(t), the exit distribution's mass on this step
 */
public record StepPrediction(int step, int[] topTokens, double[] topProbs, double entropy, double lambda,
                             double exitPdf) {

    public int top1() {
        return topTokens[0];
    }

    public double top1Prob() {
        return topProbs[0];
    }
}
