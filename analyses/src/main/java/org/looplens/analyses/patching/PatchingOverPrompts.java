package org.looplens.analyses.patching;

import java.util.ArrayList;
import java.util.List;
import org.looplens.engine.kernels.Kernels;
import org.looplens.engine.model.LoopModel;
import org.looplens.engine.run.RunOptions;
import org.looplens.engine.trace.SiteKind;

/**
 * The step × layer patching map of every pair of a prompt set, averaged per cell, with percentile
 * bootstrap intervals over the pairs: how much of the map is the task's and how much one prompt's.
 */
public final class PatchingOverPrompts {
    private PatchingOverPrompts() {}

    public static AveragedPatchingMap stepByLayer(LoopModel model, Kernels kernels, List<PromptPair> pairs, SiteKind kind,
                                                  PatchDirection direction, RunOptions options, boolean prefixReuse,
                                                  int resamples, long seed, double confidence) {
        if (pairs.isEmpty()) {
            throw new IllegalArgumentException("no prompt pairs to average over");
        }
        List<double[]> effects = new ArrayList<>();
        SweepCost cost = new SweepCost(0, 0, 0, 0);
        double clean = 0;
        double corrupt = 0;
        int steps = 0;
        int layers = 0;
        for (PromptPair p : pairs) {
            PatchingMap m = ActivationPatching.stepByLayer(model, kernels, p.clean(), p.corrupt(), kind, null, p.metric(),
                    direction, options, prefixReuse);
            cost = cost.plus(m.cost());
            if (m.cleanDiff() == m.corruptDiff()) {
                continue;
            }
            steps = m.steps();
            layers = m.layers();
            double[] flat = new double[steps * layers];
            for (int t = 0; t < steps; t++) {
                System.arraycopy(m.effect()[t], 0, flat, t * layers, layers);
            }
            effects.add(flat);
            clean += m.cleanDiff();
            corrupt += m.corruptDiff();
        }
        if (effects.isEmpty()) {
            throw new IllegalArgumentException("every pair gives the clean and the corrupted prompt the same logit"
                    + " difference; the normalised effect is undefined");
        }
        PercentileBootstrap ci = PercentileBootstrap.of(effects.toArray(double[][]::new), resamples, seed, confidence);
        int n = effects.size();
        return new AveragedPatchingMap(kind, direction, n, pairs.size() - n, grid(ci.mean(), steps, layers),
                grid(ci.lo(), steps, layers), grid(ci.hi(), steps, layers), confidence, resamples, seed, clean / n,
                corrupt / n, cost);
    }

    private static double[][] grid(double[] flat, int steps, int layers) {
        double[][] g = new double[steps][layers];
        for (int t = 0; t < steps; t++) {
            System.arraycopy(flat, t * layers, g[t], 0, layers);
        }
        return g;
    }
}
