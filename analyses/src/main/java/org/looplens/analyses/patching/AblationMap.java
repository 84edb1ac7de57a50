package org.looplens.analyses.patching;

import java.util.Locale;
import org.looplens.engine.trace.SiteKind;

/**
 * A step × layer map of ablation at one site kind (all positions): the logit difference and the
 * answer probability of the ablated run (the mean over resamples for resample ablation), and
 * their change from the unablated input.
 *
 * @param kind        the site kind ablated at every (step, layer)
 * @param method      mean or resample
 * @param metric      logit(target) − logit(distractor) at one position
 * @param pool        prompts of the input's length the replacements came from
 * @param resamples   replacements averaged per cell (1 for mean ablation)
 * @param baseDiff    the metric on the unablated input
 * @param baseProb    p(target) on the unablated input
 * @param logitDiff   [step][layer] the metric of the ablated run
 * @param answerProb  [step][layer] p(target) of the ablated run
 * @param cost        forward passes, layer applications (with and without prefix reuse), wall time
 */
public record AblationMap(SiteKind kind, AblationMethod method, LogitDifference metric, int pool, int resamples,
                          double baseDiff, double baseProb, double[][] logitDiff, double[][] answerProb,
                          SweepCost cost) {

    public int steps() {
        return logitDiff.length;
    }

    public int layers() {
        return logitDiff.length == 0 ? 0 : logitDiff[0].length;
    }

    /** [step][layer] ablated − unablated logit difference. */
    public double[][] diffChange() {
        double[][] d = new double[steps()][layers()];
        for (int t = 0; t < steps(); t++) {
            for (int l = 0; l < layers(); l++) {
                d[t][l] = logitDiff[t][l] - baseDiff;
            }
        }
        return d;
    }

    /** One row per (step, layer), 0-based. */
    public String toCsv() {
        StringBuilder sb = new StringBuilder("step,layer,site,method,logit_diff,delta_logit_diff,answer_prob,delta_answer_prob\n");
        for (int t = 0; t < steps(); t++) {
            for (int l = 0; l < layers(); l++) {
                sb.append(String.format(Locale.ROOT, "%d,%d,%s,%s,%s,%s,%s,%s%n", t, l, kind.name().toLowerCase(Locale.ROOT),
                        method.key(), logitDiff[t][l], logitDiff[t][l] - baseDiff, answerProb[t][l],
                        answerProb[t][l] - baseProb));
            }
        }
        return sb.toString();
    }
}
