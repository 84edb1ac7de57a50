package org.looplens.analyses.patching;

import java.util.Locale;
import org.looplens.engine.trace.SiteKind;

/**
 * A step × position map of activation patching: one site (a kind at one layer, or a step-level
 * kind) patched at a single position at a time, at every step; the normalised effect as in
 * {@link PatchingMap}. Shows where along the input, and when in the loop, the information sits.
 *
 * @param kind        the site kind patched
 * @param layer       its layer, or {@code Site.NO_LAYER} for a step-level kind
 * @param direction   which run received the patches
 * @param cleanDiff   the metric on the clean input
 * @param corruptDiff the metric on the corrupted input
 * @param logitDiff   [step][position] the metric of each patched run
 * @param effect      [step][position] the normalised effect
 * @param cost        forward passes, layer applications (with and without prefix reuse), wall time
 */
public record StepPositionMap(SiteKind kind, int layer, PatchDirection direction, LogitDifference metric,
                              double cleanDiff, double corruptDiff, double[][] logitDiff, double[][] effect,
                              SweepCost cost) {

    public int steps() {
        return effect.length;
    }

    public int positions() {
        return effect.length == 0 ? 0 : effect[0].length;
    }

    /** One row per (step, position), 0-based; layer −1 for a step-level site. */
    public String toCsv() {
        StringBuilder sb = new StringBuilder("step,position,site,layer,direction,logit_diff,effect\n");
        for (int t = 0; t < steps(); t++) {
            for (int p = 0; p < positions(); p++) {
                sb.append(String.format(Locale.ROOT, "%d,%d,%s,%d,%s,%s,%s%n", t, p, kind.name().toLowerCase(Locale.ROOT),
                        layer, direction.key(), logitDiff[t][p], effect[t][p]));
            }
        }
        return sb.toString();
    }
}
