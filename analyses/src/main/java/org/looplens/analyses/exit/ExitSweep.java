package org.looplens.analyses.exit;

import java.util.Locale;

/**
 * The accuracy–compute curve of Q-exit: for each threshold q, the share of questions answered
 * correctly and the mean number of loop steps used, next to always running all steps.
 *
 * @param q                 the thresholds, ascending
 * @param accuracy          per q
 * @param meanDepth         per q, in loop steps (1-based)
 * @param lastStepAccuracy  with every step run
 * @param steps             the loop steps available
 * @param questions         how many questions
 */
public record ExitSweep(double[] q, double[] accuracy, double[] meanDepth, double lastStepAccuracy, int steps,
                        int questions) {

    public String toCsv() {
        StringBuilder sb = new StringBuilder("q,accuracy,mean_depth\n");
        for (int i = 0; i < q.length; i++) {
            sb.append(String.format(Locale.ROOT, "%s,%s,%s%n", q[i], accuracy[i], meanDepth[i]));
        }
        return sb.toString();
    }
}
