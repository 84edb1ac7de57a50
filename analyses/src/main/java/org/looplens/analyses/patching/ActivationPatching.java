package org.looplens.analyses.patching;

import java.util.List;
import org.looplens.engine.kernels.Kernels;
import org.looplens.engine.model.LoopModel;
import org.looplens.engine.run.LoopRunner;
import org.looplens.engine.run.RunOptions;
import org.looplens.engine.run.RunResult;
import org.looplens.engine.trace.CapturePlan;
import org.looplens.engine.trace.Interventions;
import org.looplens.engine.trace.Site;
import org.looplens.engine.trace.SiteKind;

/**
 * Activation patching across the loop: for every (step, layer), one run of the receiving input
 * with the other input's activation at a site kind put in, and the change of a logit difference.
 * The clean and corrupted inputs must have the same length, so positions line up.
 */
public final class ActivationPatching {
    private ActivationPatching() {}

    public static PatchingMap stepByLayer(LoopModel model, Kernels kernels, int[] clean, int[] corrupt, SiteKind kind,
                                          int[] positions, LogitDifference metric, PatchDirection direction,
                                          RunOptions options) {
        if (clean.length != corrupt.length) {
            throw new IllegalArgumentException("clean and corrupted inputs must have the same length (positions are"
                    + " patched one to one), got " + clean.length + " and " + corrupt.length);
        }
        if (kind.scope() != SiteKind.Scope.LAYER || kind == SiteKind.ATTN_PROBS) {
            throw new IllegalArgumentException(kind + " is not a per-layer residual-width site; choose one of attn_in, q, k,"
                    + " v, attn_out, mid, mlp_in, mlp_out, layer_out");
        }
        long start = System.nanoTime();
        LoopRunner runner = new LoopRunner(model, kernels);
        RunOptions capture = options.withCapture(CapturePlan.kinds(kind));
        RunResult cleanRun = runner.forward(clean, capture);
        RunResult corruptRun = runner.forward(corrupt, capture);
        double cleanDiff = metric.of(cleanRun);
        double corruptDiff = metric.of(corruptRun);
        RunResult source = direction == PatchDirection.DENOISE ? cleanRun : corruptRun;
        int[] receiver = direction == PatchDirection.DENOISE ? corrupt : clean;
        int steps = cleanRun.steps();
        int layers = model.config().numLayers();
        double[][] diff = new double[steps][layers];
        double[][] effect = new double[steps][layers];
        int[] at = positions == null ? new int[0] : positions;
        for (int t = 0; t < steps; t++) {
            for (int l = 0; l < layers; l++) {
                Site site = Site.layer(t, l, kind);
                RunResult patched = runner.forward(receiver,
                        options.withInterventions(List.of(Interventions.patch(site, source.trace().get(site), at))));
                diff[t][l] = metric.of(patched);
                effect[t][l] = (diff[t][l] - corruptDiff) / (cleanDiff - corruptDiff);
            }
        }
        int runs = 2 + steps * layers;
        return new PatchingMap(kind, direction, positions == null ? null : positions.clone(), metric, cleanDiff,
                corruptDiff, diff, effect, runs, (System.nanoTime() - start) / 1e9);
    }
}
