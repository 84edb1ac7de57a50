package org.looplens.analyses.patching;

import java.util.Locale;

/**
 * What skipping or repeating each loop step does to one input's answer: the logit difference and
 * p(target) with step t skipped ({@code h_t := h_{t−1}}) and with step t applied twice, against the
 * unedited run.
 *
 * @param metric      logit(target) − logit(distractor) at one position
 * @param baseDiff    the metric of the unedited run
 * @param baseProb    p(target) of the unedited run
 * @param skipDiff    [step] the metric with that step skipped
 * @param skipProb    [step] p(target) with that step skipped
 * @param repeatDiff  [step] the metric with that step repeated
 * @param repeatProb  [step] p(target) with that step repeated
 * @param seconds     wall time
 */
public record StepEditEffects(LogitDifference metric, double baseDiff, double baseProb, double[] skipDiff,
                              double[] skipProb, double[] repeatDiff, double[] repeatProb, double seconds) {

    public int steps() {
        return skipDiff.length;
    }

    /** One row per (edit, step), 0-based; the unedited run as edit "none", step −1. */
    public String toCsv() {
        StringBuilder sb = new StringBuilder("edit,step,logit_diff,answer_prob\n");
        sb.append(String.format(Locale.ROOT, "none,-1,%s,%s%n", baseDiff, baseProb));
        for (int t = 0; t < steps(); t++) {
            sb.append(String.format(Locale.ROOT, "skip,%d,%s,%s%n", t, skipDiff[t], skipProb[t]));
        }
        for (int t = 0; t < steps(); t++) {
            sb.append(String.format(Locale.ROOT, "repeat,%d,%s,%s%n", t, repeatDiff[t], repeatProb[t]));
        }
        return sb.toString();
    }
}
