package org.looplens.analyses.patching;

import java.util.Locale;
import org.looplens.engine.trace.SiteKind;

/**
 * A step × layer map of activation patching at one site kind: the logit difference of every
 * patched run and its normalised effect (patched − corrupt) / (clean − corrupt), so 1 means the
 * patched run behaves like the clean one and 0 like the corrupted one, in either direction.
 *
 * @param kind        the site kind patched at every (step, layer)
 * @param direction   which run received the patches
 * @param positions   the positions patched (null: all)
 * @param cleanDiff   the metric on the clean input
 * @param corruptDiff the metric on the corrupted input
 * @param logitDiff   [step][layer] the metric of each patched run
 * @param effect      [step][layer] the normalised effect
 * @param cost        forward passes, layer applications (with and without prefix reuse), wall time
 */
public record PatchingMap(SiteKind kind, PatchDirection direction, int[] positions, LogitDifference metric,
                          double cleanDiff, double corruptDiff, double[][] logitDiff, double[][] effect,
                          SweepCost cost) {

    /** Forward passes the map took. */
    public int runs() {
        return cost.runs();
    }

    /** Their wall time. */
    public double seconds() {
        return cost.seconds();
    }

    public int steps() {
        return effect.length;
    }

    public int layers() {
        return effect.length == 0 ? 0 : effect[0].length;
    }

    /** One row per (step, layer): step,layer,logit_diff,effect (steps and layers 0-based). */
    public String toCsv() {
        StringBuilder sb = new StringBuilder("step,layer,site,direction,logit_diff,effect\n");
        for (int t = 0; t < steps(); t++) {
            for (int l = 0; l < layers(); l++) {
                sb.append(String.format(Locale.ROOT, "%d,%d,%s,%s,%s,%s%n", t, l, kind.name().toLowerCase(Locale.ROOT),
                        direction.key(), logitDiff[t][l], effect[t][l]));
            }
        }
        return sb.toString();
    }
}
