package org.looplens.app.cli;

import java.util.LinkedHashMap;
import java.util.Map;
import org.looplens.engine.config.LoopConfig;
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

    /** Needs a run with every site captured at all positions and the mixture exit policy. */
    public static Map<String, FloatTensor> of(LoopModel model, RunResult run) {
        LoopConfig c = model.config();
        Trace trace = run.trace();
        int len = run.length();
        int steps = run.steps();
        Map<String, FloatTensor> out = new LinkedHashMap<>();
        out.put("embed", trace.get(Site.embed()));
        for (int t = 0; t < steps; t++) {
            String p = "t" + t + ".";
            out.put(p + "hidden_prenorm", trace.get(Site.step(t, SiteKind.STEP_PRENORM)));
            out.put(p + "hidden", trace.get(Site.step(t, SiteKind.STEP_HIDDEN)));
            FloatTensor logits = trace.get(Site.step(t, SiteKind.STEP_LOGITS));
            out.put(p + "logits", logits);
            out.put(p + "gate_logit", new FloatTensor(run.gateLogits()[t].clone(), len));
            out.put(p + "lambda", new FloatTensor(run.lambda()[t].clone(), len));
            if (len > 1) {
                double[] ce = CrossEntropy.perPosition(logits, run.tokens());
                out.put(p + "ce", new FloatTensor(toFloat(ce), ce.length));
                out.put(p + "ce_mean", FloatTensor.scalar((float) CrossEntropy.mean(ce)));
            }
            for (int l = 0; l < c.numLayers(); l++) {
                String q = p + "l" + l + ".";
                out.put(q + "attn_probs", trace.get(Site.layer(t, l, SiteKind.ATTN_PROBS)));
                out.put(q + "attn_out", trace.get(Site.layer(t, l, SiteKind.ATTN_OUT)));
                out.put(q + "mid", trace.get(Site.layer(t, l, SiteKind.MID)));
                out.put(q + "mlp_out", trace.get(Site.layer(t, l, SiteKind.MLP_OUT)));
                out.put(q + "out", trace.get(Site.layer(t, l, SiteKind.LAYER_OUT)));
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
        out.put("exit_pdf", new FloatTensor(pdf, len, steps));
        out.put("exit_cdf", new FloatTensor(cdf, len, steps));
        out.put("exit_survival", new FloatTensor(survival, len, steps));
        out.put("exit_entropy", new FloatTensor(entropy, len));
        for (double q : EXIT_THRESHOLDS) {
            float[] idx = new float[len];
            for (int i = 0; i < len; i++) {
                idx[i] = exit.exitStep(i, q);
            }
            out.put("exit_index_q" + q, new FloatTensor(idx, len));
        }
        out.put("expected_logits", run.output());
        if (len > 1) {
            double[] ce = CrossEntropy.perPosition(run.output(), run.tokens());
            out.put("hf_labels_loss", FloatTensor.scalar((float) CrossEntropy.mean(ce)));
        }
        int d = c.headDim();
        float[] cos = java.util.Arrays.copyOf(model.rope().cos(), len * d);
        float[] sin = java.util.Arrays.copyOf(model.rope().sin(), len * d);
        out.put("rope.cos", new FloatTensor(cos, len, d));
        out.put("rope.sin", new FloatTensor(sin, len, d));
        return out;
    }

    private static float[] toFloat(double[] v) {
        float[] f = new float[v.length];
        for (int i = 0; i < v.length; i++) {
            f[i] = (float) v[i];
        }
        return f;
    }
}
