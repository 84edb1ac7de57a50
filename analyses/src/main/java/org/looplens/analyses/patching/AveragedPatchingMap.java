package org.looplens.analyses.patching;

import java.util.Locale;
import org.looplens.engine.trace.SiteKind;

/**
 * A step × layer patching map averaged over prompt pairs: the mean normalised effect per cell with
 * a percentile bootstrap confidence interval over the pairs.
 *
 * @param kind        the site kind patched at every (step, layer)
 * @param direction   which run received the patches
 * @param pairs       pairs averaged
 * @param skipped     pairs left out because clean and corrupted runs gave the same metric
 *                    (the normalised effect is undefined there)
 * @param mean        [step][layer] the mean effect
 * @param lo          [step][layer] the interval's lower end
 * @param hi          [step][layer] its upper end
 * @param confidence  the interval's level, e.g. 0.95
 * @param resamples   bootstrap resamples of the pairs
 * @param seed        the bootstrap's seed
 * @param cleanDiff   the mean metric of the clean prompts
 * @param corruptDiff the mean metric of the corrupted prompts
 * @param cost        forward passes, layer applications (with and without prefix reuse), wall time
 */
public record AveragedPatchingMap(SiteKind kind, PatchDirection direction, int pairs, int skipped, double[][] mean,
                                  double[][] lo, double[][] hi, double confidence, int resamples, long seed,
                                  double cleanDiff, double corruptDiff, SweepCost cost) {

    public int steps() {
        return mean.length;
    }

    public int layers() {
        return mean.length == 0 ? 0 : mean[0].length;
    }

    /** One row per (step, layer), 0-based: the mean effect and its interval. */
    public String toCsv() {
        StringBuilder sb = new StringBuilder("step,layer,site,direction,pairs,mean_effect,ci_lo,ci_hi\n");
        for (int t = 0; t < steps(); t++) {
            for (int l = 0; l < layers(); l++) {
                sb.append(String.format(Locale.ROOT, "%d,%d,%s,%s,%d,%s,%s,%s%n", t, l, kind.name().toLowerCase(Locale.ROOT),
                        direction.key(), pairs, mean[t][l], lo[t][l], hi[t][l]));
            }
        }
        return sb.toString();
    }
}
