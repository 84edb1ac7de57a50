package org.looplens.analyses.probes;

/**
 * How often two loop steps' probes give the same answer: entry (s, t) is the share of questions
 * on which the predictions at s and t agree. Symmetric with a unit diagonal; a block of ones means
 * the steps have settled on the same answer (the faithfulness analysis of the Ouro paper).
 */
public final class AgreementMatrix {
    private AgreementMatrix() {}

    /** {@code predictions[step][question]} → {@code [step][step]}. */
    public static double[][] of(int[][] predictions) {
        int steps = predictions.length;
        double[][] m = new double[steps][steps];
        for (int s = 0; s < steps; s++) {
            m[s][s] = 1;
            for (int t = s + 1; t < steps; t++) {
                if (predictions[s].length != predictions[t].length) {
                    throw new IllegalArgumentException("step " + s + " has " + predictions[s].length
                            + " predictions, step " + t + " " + predictions[t].length);
                }
                int same = 0;
                for (int q = 0; q < predictions[s].length; q++) {
                    same += predictions[s][q] == predictions[t][q] ? 1 : 0;
                }
                double share = predictions[s].length == 0 ? 1 : (double) same / predictions[s].length;
                m[s][t] = share;
                m[t][s] = share;
            }
        }
        return m;
    }
}
