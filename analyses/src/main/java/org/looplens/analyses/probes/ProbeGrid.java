package org.looplens.analyses.probes;

/**
 * Held-out probe accuracy for the questions of one hop count k: one row per probed hop (hop j's
 * entity, hop k being the answer), one column per loop step. Alongside, the two baselines: the
 * control task (the same probe on a random function of the start entity) and shuffled labels
 * (the probe trained on labels permuted across the train fold: chance).
 *
 * @param hops           k, the hop count of every question in the group
 * @param trainQuestions questions the probes were fitted on
 * @param testQuestions  held-out questions they were scored on
 * @param targetHops     per row, the hop probed (1-based; k is the answer)
 * @param accuracy       [row][step] held-out accuracy of the probe
 * @param control        [row][step] held-out accuracy on the control task
 * @param shuffled       [row][step] held-out accuracy after training on shuffled labels
 * @param agreement      [step][step] agreement of the answer probes on the held-out questions
 * @param modelAccuracy  share of the held-out questions the model itself answers correctly
 */
public record ProbeGrid(int hops, int trainQuestions, int testQuestions, int[] targetHops, double[][] accuracy,
                        double[][] control, double[][] shuffled, double[][] agreement, double modelAccuracy) {

    /** Accuracy minus control accuracy, per [row][step]. */
    public double[][] selectivity() {
        double[][] s = new double[accuracy.length][];
        for (int r = 0; r < s.length; r++) {
            s[r] = new double[accuracy[r].length];
            for (int t = 0; t < s[r].length; t++) {
                s[r][t] = accuracy[r][t] - control[r][t];
            }
        }
        return s;
    }

    public int steps() {
        return accuracy.length == 0 ? 0 : accuracy[0].length;
    }
}
