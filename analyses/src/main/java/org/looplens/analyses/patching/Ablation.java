package org.looplens.analyses.patching;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.looplens.engine.kernels.Kernels;
import org.looplens.engine.model.LoopModel;
import org.looplens.engine.run.LoopRunner;
import org.looplens.engine.run.RunOptions;
import org.looplens.engine.run.RunResult;
import org.looplens.engine.tensor.FloatTensor;
import org.looplens.engine.trace.CapturePlan;
import org.looplens.engine.trace.Interventions;
import org.looplens.engine.trace.Site;
import org.looplens.engine.trace.SiteKind;

/**
 * Mean and resample ablation at every (step, layer) of one site kind, all positions at once. The
 * replacements come from the prompts of a set that have the input's length (so positions line
 * up); the input runs once and every ablated run resumes at its site.
 */
public final class Ablation {
    private Ablation() {}

    public static AblationMap stepByLayer(LoopModel model, Kernels kernels, int[] input, LogitDifference metric,
                                          SiteKind kind, AblationMethod method, List<int[]> prompts, int resamples,
                                          long seed, RunOptions options, boolean prefixReuse) {
        if (kind.scope() != SiteKind.Scope.LAYER || kind == SiteKind.ATTN_PROBS) {
            throw new IllegalArgumentException(kind + " is not a per-layer site that can be ablated; choose one of"
                    + " attn_in, q, k, v, attn_out, mid, mlp_in, mlp_out, layer_out");
        }
        if (method == AblationMethod.RESAMPLE && resamples < 1) {
            throw new IllegalArgumentException("resamples must be at least 1, got " + resamples);
        }
        List<int[]> pool = new ArrayList<>();
        for (int[] p : prompts) {
            if (p.length == input.length && !Arrays.equals(p, input)) {
                pool.add(p);
            }
        }
        if (pool.isEmpty()) {
            throw new IllegalArgumentException("the prompt set has no other prompt of the input's length "
                    + input.length + " to take replacements from");
        }
        long start = System.nanoTime();
        RunOptions capture = options.withCapture(CapturePlan.kinds(kind));
        ResumedRuns runs = new ResumedRuns(model, kernels, input, options, prefixReuse);
        List<int[]> donors = method == AblationMethod.MEAN ? pool : draw(pool, resamples, seed);
        List<RunResult> donorRuns = new LoopRunner(model, kernels).forward(donors, capture);
        int steps = runs.base().steps();
        int layers = model.config().numLayers();
        double[][] diff = new double[steps][layers];
        double[][] prob = new double[steps][layers];
        for (int t = 0; t < steps; t++) {
            for (int l = 0; l < layers; l++) {
                Site site = Site.layer(t, l, kind);
                List<FloatTensor> replacements = method == AblationMethod.MEAN
                        ? List.of(mean(donorRuns, site)) : donorRuns.stream().map(r -> r.trace().get(site)).toList();
                for (FloatTensor value : replacements) {
                    RunResult ablated = runs.run(site, List.of(Interventions.patch(site, value)));
                    diff[t][l] += metric.of(ablated) / replacements.size();
                    prob[t][l] += metric.targetProbability(ablated) / replacements.size();
                }
            }
        }
        SweepCost c = runs.cost(start);
        long donorLayers = donors.size() * runs.perRun();
        SweepCost cost = new SweepCost(c.runs() + donors.size(), c.layerEvaluations() + donorLayers,
                c.scratchLayerEvaluations() + donorLayers, c.seconds());
        return new AblationMap(kind, method, metric, pool.size(), method == AblationMethod.MEAN ? 1 : resamples,
                metric.of(runs.base()), metric.targetProbability(runs.base()), diff, prob, cost);
    }

    /** {@code count} prompts drawn with replacement, reproducibly for a seed. */
    private static List<int[]> draw(List<int[]> pool, int count, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        List<int[]> out = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            out.add(pool.get(rng.nextInt(pool.size())));
        }
        return out;
    }

    /** The element-wise mean of a site over runs, summed in double. */
    static FloatTensor mean(List<RunResult> runs, Site site) {
        FloatTensor first = runs.get(0).trace().get(site);
        double[] sum = new double[first.data().length];
        for (RunResult r : runs) {
            float[] d = r.trace().get(site).data();
            for (int i = 0; i < sum.length; i++) {
                sum[i] += d[i];
            }
        }
        float[] mean = new float[sum.length];
        for (int i = 0; i < sum.length; i++) {
            mean[i] = (float) (sum[i] / runs.size());
        }
        return new FloatTensor(mean, first.shape());
    }
}
