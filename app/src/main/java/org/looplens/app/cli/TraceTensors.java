package org.looplens.app.cli;

import java.util.LinkedHashMap;
import java.util.Map;
import org.looplens.engine.config.LoopConfig;
import org.looplens.engine.io.TensorSource;
import org.looplens.engine.model.LoopModel;
import org.looplens.engine.run.CrossEntropy;
import org.looplens.engine.run.ExitDistribution;
import org.looplens.engine.run.RunResult;
import org.looplens.engine.tensor.FloatTensor;
import org.looplens.engine.trace.Site;
import org.looplens.engine.trace.SiteKind;
import org.looplens.engine.trace.Trace;

/**
 * The tensors of {@code looplens trace}, named as in the golden fixtures (without the sequence
 * prefix): {@code t{k}.hidden}, {@code t{k}.l{j}.mid}, {@code exit_pdf}, {@code expected_logits}, ...
 * This naming is a contract users' scripts rely on.
 */
public final class TraceTensors {
    /** The Q-exit thresholds written as {@code exit_index_q{q}}. */
    public static final double[] EXIT_THRESHOLDS = {0.25, 0.5, 0.75, 0.9};

    private TraceTensors() {}

    /**
     * Needs a run with every site captured at all positions and the mixture exit policy. Each
     * captured site is read from the trace only when it is written: a trace spilled to disk is
     * then written holding one site at a time.
     */
    public static Map<String, TensorSource> sources(LoopModel model, RunResult run) {
        LoopConfig c = model.config();
        Trace trace = run.trace();
        int len = run.length();
        int steps = run.steps();
        Map<String, TensorSource> out = new LinkedHashMap<>();
        out.put("embed", site(trace, Site.embed()));
        for (int t = 0; t < steps; t++) {
            String p = "t" + t + ".";
            out.put(p + "hidden_prenorm", site(trace, Site.step(t, SiteKind.STEP_PRENORM)));
            out.put(p + "hidden", site(trace, Site.step(t, SiteKind.STEP_HIDDEN)));
            Site logits = Site.step(t, SiteKind.STEP_LOGITS);
            out.put(p + "logits", site(trace, logits));
            out.put(p + "gate_logit", TensorSource.of(new FloatTensor(run.gateLogits()[t].clone(), len)));
            out.put(p + "lambda", TensorSource.of(new FloatTensor(run.lambda()[t].clone(), len)));
            if (len > 1) {
                double[] ce = CrossEntropy.perPosition(trace.get(logits), run.tokens());
                out.put(p + "ce", TensorSource.of(new FloatTensor(toFloat(ce), ce.length)));
                out.put(p + "ce_mean", TensorSource.of(FloatTensor.scalar((float) CrossEntropy.mean(ce))));
            }
            for (int l = 0; l < c.numLayers(); l++) {
                String q = p + "l" + l + ".";
                out.put(q + "attn_probs", site(trace, Site.layer(t, l, SiteKind.ATTN_PROBS)));
                out.put(q + "attn_out", site(trace, Site.layer(t, l, SiteKind.ATTN_OUT)));
                out.put(q + "mid", site(trace, Site.layer(t, l, SiteKind.MID)));
                out.put(q + "mlp_out", site(trace, Site.layer(t, l, SiteKind.MLP_OUT)));
                out.put(q + "out", site(trace, Site.layer(t, l, SiteKind.LAYER_OUT)));
            }
        }
        ExitDistribution exit = run.exit();
        float[] pdf = new float[len * steps];
        float[] cdf = new float[len * steps];
        float[] survival = new float[len * steps];
        float[] entropy = new float[len];
        for (int i = 0; i < len; i++) {
            for (int t = 0; t < steps; t++) {
                pdf[i * steps + t] = (float) exit.pdf(i, t);
                cdf[i * steps + t] = (float) exit.cdf(i, t);
                survival[i * steps + t] = (float) exit.survival(i, t);
            }
            entropy[i] = (float) exit.entropy(i);
        }
        out.put("exit_pdf", TensorSource.of(new FloatTensor(pdf, len, steps)));
        out.put("exit_cdf", TensorSource.of(new FloatTensor(cdf, len, steps)));
        out.put("exit_survival", TensorSource.of(new FloatTensor(survival, len, steps)));
        out.put("exit_entropy", TensorSource.of(new FloatTensor(entropy, len)));
        for (double q : EXIT_THRESHOLDS) {
            float[] idx = new float[len];
            for (int i = 0; i < len; i++) {
                idx[i] = exit.exitStep(i, q);
            }
            out.put("exit_index_q" + q, TensorSource.of(new FloatTensor(idx, len)));
        }
        out.put("expected_logits", TensorSource.of(run.output()));
        if (len > 1) {
            double[] ce = CrossEntropy.perPosition(run.output(), run.tokens());
            out.put("hf_labels_loss", TensorSource.of(FloatTensor.scalar((float) CrossEntropy.mean(ce))));
        }
        int d = c.headDim();
        float[] cos = java.util.Arrays.copyOf(model.rope().cos(), len * d);
        float[] sin = java.util.Arrays.copyOf(model.rope().sin(), len * d);
        out.put("rope.cos", TensorSource.of(new FloatTensor(cos, len, d)));
        out.put("rope.sin", TensorSource.of(new FloatTensor(sin, len, d)));
        return out;
    }

    /** A captured site, read when written. */
    private static TensorSource site(Trace trace, Site site) {
        return new TensorSource(trace.shape(site), () -> trace.get(site));
    }

    private static float[] toFloat(double[] v) {
        float[] f = new float[v.length];
        for (int i = 0; i < v.length; i++) {
            f[i] = (float) v[i];
        }
        return f;
    }
}
