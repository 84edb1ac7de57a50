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
 * Activation patching across the loop: one run of the receiving input per cell with the other
 * input's activation put in, and the change of a logit difference. Maps are step × layer (one site
 * kind at every layer) or step × position (one site at one position at a time). The clean and
 * corrupted inputs must have the same length, so positions line up. The receiving input runs
 * once; every patched run resumes at its site (see {@link ResumedRuns}) unless reuse is off.
 */
public final class ActivationPatching {
    private ActivationPatching() {}

    public static PatchingMap stepByLayer(LoopModel model, Kernels kernels, int[] clean, int[] corrupt, SiteKind kind,
                                          int[] positions, LogitDifference metric, PatchDirection direction,
                                          RunOptions options) {
        return stepByLayer(model, kernels, clean, corrupt, kind, positions, metric, direction, options, true);
    }

    /** The step × layer map; {@code prefixReuse} false recomputes every patched run from scratch. */
    public static PatchingMap stepByLayer(LoopModel model, Kernels kernels, int[] clean, int[] corrupt, SiteKind kind,
                                          int[] positions, LogitDifference metric, PatchDirection direction,
                                          RunOptions options, boolean prefixReuse) {
        checkLengths(clean, corrupt);
        if (kind.scope() != SiteKind.Scope.LAYER || kind == SiteKind.ATTN_PROBS) {
            throw new IllegalArgumentException(kind + " is not a per-layer residual-width site; choose one of attn_in, q, k,"
                    + " v, attn_out, mid, mlp_in, mlp_out, layer_out");
        }
        long start = System.nanoTime();
        Pair pair = Pair.run(model, kernels, clean, corrupt, kind, direction, options, prefixReuse);
        int steps = pair.receiver.base().steps();
        int layers = model.config().numLayers();
        double[][] diff = new double[steps][layers];
        double[][] effect = new double[steps][layers];
        int[] at = positions == null ? new int[0] : positions;
        for (int t = 0; t < steps; t++) {
            for (int l = 0; l < layers; l++) {
                Site site = Site.layer(t, l, kind);
                RunResult patched = pair.receiver.run(site,
                        List.of(Interventions.patch(site, pair.source.trace().get(site), at)));
                diff[t][l] = metric.of(patched);
                effect[t][l] = pair.effect(metric, diff[t][l]);
            }
        }
        return new PatchingMap(kind, direction, positions == null ? null : positions.clone(), metric,
                pair.cleanDiff(metric), pair.corruptDiff(metric), diff, effect, pair.cost(start));
    }

    /**
     * The step × position map: the site kind at {@code layer} (ignored for step-level kinds such
     * as STEP_HIDDEN) patched at one position at a time, at every step.
     */
    public static StepPositionMap stepByPosition(LoopModel model, Kernels kernels, int[] clean, int[] corrupt,
                                                 SiteKind kind, int layer, LogitDifference metric,
                                                 PatchDirection direction, RunOptions options, boolean prefixReuse) {
        checkLengths(clean, corrupt);
        boolean perLayer = kind.scope() == SiteKind.Scope.LAYER && kind != SiteKind.ATTN_PROBS;
        boolean perStep = kind == SiteKind.STEP_HIDDEN || kind == SiteKind.STEP_PRENORM;
        if (!perLayer && !perStep) {
            throw new IllegalArgumentException(kind + " cannot be patched by position; choose a per-layer site (attn_in,"
                    + " q, k, v, attn_out, mid, mlp_in, mlp_out, layer_out) or step_hidden, step_prenorm");
        }
        int layers = model.config().numLayers();
        if (perLayer && (layer < 0 || layer >= layers)) {
            throw new IllegalArgumentException("layer " + layer + " is outside the model's 0.." + (layers - 1));
        }
        long start = System.nanoTime();
        Pair pair = Pair.run(model, kernels, clean, corrupt, kind, direction, options, prefixReuse);
        int steps = pair.receiver.base().steps();
        double[][] diff = new double[steps][clean.length];
        double[][] effect = new double[steps][clean.length];
        for (int t = 0; t < steps; t++) {
            Site site = perLayer ? Site.layer(t, layer, kind) : Site.step(t, kind);
            var source = pair.source.trace().get(site); // once per site: a spilled trace copies it on every get
            for (int p = 0; p < clean.length; p++) {
                RunResult patched = pair.receiver.run(site, List.of(Interventions.patch(site, source, p)));
                diff[t][p] = metric.of(patched);
                effect[t][p] = pair.effect(metric, diff[t][p]);
            }
        }
        return new StepPositionMap(kind, perLayer ? layer : Site.NO_LAYER, direction, metric, pair.cleanDiff(metric),
                pair.corruptDiff(metric), diff, effect, pair.cost(start));
    }

    private static void checkLengths(int[] clean, int[] corrupt) {
        if (clean.length != corrupt.length) {
            throw new IllegalArgumentException("clean and corrupted inputs must have the same length (positions are"
                    + " patched one to one), got " + clean.length + " and " + corrupt.length);
        }
    }

    /** The receiving input (resumable) and the source run of a patching experiment. */
    private record Pair(ResumedRuns receiver, RunResult source, PatchDirection direction) {
        static Pair run(LoopModel model, Kernels kernels, int[] clean, int[] corrupt, SiteKind kind,
                        PatchDirection direction, RunOptions options, boolean reuse) {
            RunOptions capture = options.withCapture(CapturePlan.kinds(kind));
            boolean denoise = direction == PatchDirection.DENOISE;
            ResumedRuns receiver = new ResumedRuns(model, kernels, denoise ? corrupt : clean, capture, reuse);
            RunResult source = new LoopRunner(model, kernels).forward(denoise ? clean : corrupt, capture);
            return new Pair(receiver, source, direction);
        }

        RunResult cleanRun() {
            return direction == PatchDirection.DENOISE ? source : receiver.base();
        }

        RunResult corruptRun() {
            return direction == PatchDirection.DENOISE ? receiver.base() : source;
        }

        double cleanDiff(LogitDifference metric) {
            return metric.of(cleanRun());
        }

        double corruptDiff(LogitDifference metric) {
            return metric.of(corruptRun());
        }

        /** (patched − corrupt) / (clean − corrupt): 1 behaves like the clean run, 0 like the corrupted. */
        double effect(LogitDifference metric, double patched) {
            double corrupt = corruptDiff(metric);
            return (patched - corrupt) / (cleanDiff(metric) - corrupt);
        }

        SweepCost cost(long start) {
            SweepCost c = receiver.cost(start); // plus the source run, from scratch either way
            return new SweepCost(c.runs() + 1, c.layerEvaluations() + receiver.perRun(),
                    c.scratchLayerEvaluations() + receiver.perRun(), c.seconds());
        }
    }
}
