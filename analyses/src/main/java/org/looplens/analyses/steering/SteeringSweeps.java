package org.looplens.analyses.steering;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.looplens.engine.kernels.Kernels;
import org.looplens.engine.model.LoopModel;
import org.looplens.engine.run.CrossEntropy;
import org.looplens.engine.run.LoopRunner;
import org.looplens.engine.run.RunOptions;
import org.looplens.engine.run.RunResult;
import org.looplens.engine.trace.Interventions;
import org.looplens.engine.trace.Site;
import org.looplens.engine.trace.SiteKind;

/**
 * Steering: {@code strength × vector} added at one residual-width site (Interventions.add), one
 * run per strength, each compared with the unsteered run at the read position.
 */
public final class SteeringSweeps {
    /** The sites that hold a hidden-width residual-stream vector, where a steering vector makes sense. */
    public static final Set<SiteKind> RESIDUAL = Set.of(SiteKind.EMBED, SiteKind.ATTN_IN, SiteKind.ATTN_OUT,
            SiteKind.MID, SiteKind.MLP_IN, SiteKind.MLP_OUT, SiteKind.LAYER_OUT, SiteKind.STEP_PRENORM,
            SiteKind.STEP_HIDDEN);

    private SteeringSweeps() {}

    /**
     * @param positions    absolute positions to steer at (null or empty: all)
     * @param readPosition 0-based position whose output is measured
     * @param target       the token whose probability is reported
     */
    public static SteeringSweep sweep(LoopModel model, Kernels kernels, int[] tokens, Site site, float[] vector,
                                      int[] positions, double[] strengths, int readPosition, int target,
                                      RunOptions options) {
        check(model, tokens, site, vector, readPosition, target, options);
        if (strengths.length == 0) {
            throw new IllegalArgumentException("no strengths to sweep");
        }
        LoopRunner runner = new LoopRunner(model, kernels);
        double[] base = logProbs(runner.forward(tokens, options), readPosition);
        int baseTop = argmax(base);
        List<SteeringEffect> effects = new ArrayList<>();
        for (double s : strengths) {
            if (!Double.isFinite(s)) {
                throw new IllegalArgumentException("strength " + s + " is not finite");
            }
            RunResult run = runner.forward(tokens, options.withInterventions(
                    withSteering(options, site, vector, (float) s, positions)));
            double[] lp = logProbs(run, readPosition);
            int top = argmax(lp);
            effects.add(new SteeringEffect(s, kl(lp, base), top, top != baseTop, Math.exp(lp[target]), entropy(lp)));
        }
        double norm = 0;
        for (float v : vector) {
            norm += (double) v * v;
        }
        return new SteeringSweep(site, positions == null || positions.length == 0 ? null : positions.clone(),
                readPosition, target, Math.sqrt(norm), baseTop, Math.exp(base[target]), entropy(base), List.copyOf(effects));
    }

    private static List<org.looplens.engine.trace.Intervention> withSteering(RunOptions options, Site site,
                                                                             float[] vector, float strength,
                                                                             int[] positions) {
        List<org.looplens.engine.trace.Intervention> all = new ArrayList<>(options.interventions());
        all.add(Interventions.add(site, vector, strength, positions == null ? new int[0] : positions));
        return all;
    }

    private static void check(LoopModel model, int[] tokens, Site site, float[] vector, int readPosition, int target,
                              RunOptions options) {
        if (!RESIDUAL.contains(site.kind())) {
            throw new IllegalArgumentException(site.kind().name().toLowerCase() + " is not a residual-width site; steer at"
                    + " one of embed, attn_in, attn_out, mid, mlp_in, mlp_out, layer_out, step_prenorm, step_hidden");
        }
        int hidden = model.config().hiddenSize();
        if (vector.length != hidden) {
            throw new IllegalArgumentException("the steering vector has " + vector.length + " entries, the model's hidden"
                    + " size is " + hidden);
        }
        int steps = options.resolveSteps(model.config().totalUtSteps());
        if (site.step() >= steps) {
            throw new IllegalArgumentException("site " + site + " is at step " + site.step() + ", the run has steps 0.."
                    + (steps - 1));
        }
        if (site.layer() >= model.config().numLayers()) {
            throw new IllegalArgumentException("site " + site + " is at layer " + site.layer() + ", the model has layers 0.."
                    + (model.config().numLayers() - 1));
        }
        if (readPosition < 0 || readPosition >= tokens.length) {
            throw new IllegalArgumentException("read position " + readPosition + " is outside the input's 0.."
                    + (tokens.length - 1));
        }
        if (target < 0 || target >= model.config().vocabSize()) {
            throw new IllegalArgumentException("target token " + target + " is outside the vocabulary 0.."
                    + (model.config().vocabSize() - 1));
        }
    }

    /** Log-softmax of the run's output at one position. */
    public static double[] logProbs(RunResult run, int position) {
        int vocab = run.output().dim(1);
        float[] d = run.output().data();
        int off = position * vocab;
        double logZ = CrossEntropy.logSumExp(d, off, vocab);
        double[] out = new double[vocab];
        for (int j = 0; j < vocab; j++) {
            out[j] = d[off + j] - logZ;
        }
        return out;
    }

    /** KL(p ‖ q) from log-probabilities, in nats; never below 0 (rounding can dip under). */
    static double kl(double[] logP, double[] logQ) {
        double kl = 0;
        for (int j = 0; j < logP.length; j++) {
            double p = Math.exp(logP[j]);
            if (p > 0) {
                kl += p * (logP[j] - logQ[j]);
            }
        }
        return Math.max(0, kl);
    }

    static double entropy(double[] logP) {
        double h = 0;
        for (double lp : logP) {
            double p = Math.exp(lp);
            if (p > 0) {
                h -= p * lp;
            }
        }
        return h;
    }

    static int argmax(double[] v) {
        int best = 0;
        for (int j = 1; j < v.length; j++) {
            if (v[j] > v[best]) {
                best = j;
            }
        }
        return best;
    }
}
