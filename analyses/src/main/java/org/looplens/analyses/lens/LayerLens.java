package org.looplens.analyses.lens;

import org.looplens.engine.config.LoopConfig;
import org.looplens.engine.kernels.Kernels;
import org.looplens.engine.model.LoopModel;
import org.looplens.engine.run.LoopRunner;
import org.looplens.engine.run.RunOptions;
import org.looplens.engine.run.RunResult;
import org.looplens.engine.run.TokenSampler;
import org.looplens.engine.tensor.WeightMatrix;
import org.looplens.engine.trace.CapturePlan;
import org.looplens.engine.trace.Site;
import org.looplens.engine.trace.SiteKind;

/**
 * The logit lens inside each loop step: the final norm and LM head applied to every layer's
 * output at one position. Within a step this is a lens, not a trained readout (the head was
 * trained on step outputs only); at each step's last layer it equals the step's own readout.
 *
 * @param position   0-based index within the input
 * @param answer     the final step's top-1 token at that position
 * @param answerProb [step][layer] the lens probability of that answer
 * @param top1       [step][layer] the lens's top-1 token
 */
public record LayerLens(int position, int answer, double[][] answerProb, int[][] top1) {

    public static LayerLens of(LoopModel model, Kernels kernels, int[] tokens, RunOptions options, int position) {
        if (position < 0 || position >= tokens.length) {
            throw new IllegalArgumentException("position " + position + " is outside the input's 0.." + (tokens.length - 1));
        }
        LoopConfig c = model.config();
        RunResult run = new LoopRunner(model, kernels).forward(tokens,
                options.withCapture(CapturePlan.kinds(SiteKind.LAYER_OUT, SiteKind.STEP_LOGITS)));
        int steps = run.steps();
        int layers = c.numLayers();
        int h = c.hiddenSize();
        int vocab = c.vocabSize();
        int answer = TokenSampler.argmax(run.trace().row(Site.step(steps - 1, SiteKind.STEP_LOGITS), position), 0, vocab);
        double[][] prob = new double[steps][layers];
        int[][] top = new int[steps][layers];
        float[] normed = new float[h];
        float[] logits = new float[vocab];
        WeightMatrix head = model.weights().lmHead();
        for (int t = 0; t < steps; t++) {
            for (int l = 0; l < layers; l++) {
                float[] out = run.trace().row(Site.layer(t, l, SiteKind.LAYER_OUT), position);
                kernels.rmsNorm(out, 0, 1, h, model.weights().finalNorm(), (float) c.rmsNormEps(), normed, 0);
                if (head.isDense()) {
                    kernels.matmulTransposed(normed, 0, 1, h, head.dense(), 0, vocab, logits, 0);
                } else {
                    kernels.matmulTransposedBf16(normed, 0, 1, h, head.bf16(), vocab, logits, 0);
                }
                top[t][l] = TokenSampler.argmax(logits, 0, vocab);
                prob[t][l] = probability(logits, vocab, answer);
            }
        }
        return new LayerLens(position, answer, prob, top);
    }

    private static double probability(float[] logits, int vocab, int token) {
        double max = Double.NEGATIVE_INFINITY;
        for (int j = 0; j < vocab; j++) {
            max = Math.max(max, logits[j]);
        }
        double sum = 0;
        for (int j = 0; j < vocab; j++) {
            sum += Math.exp(logits[j] - max);
        }
        return Math.exp(logits[token] - max) / sum;
    }
}
