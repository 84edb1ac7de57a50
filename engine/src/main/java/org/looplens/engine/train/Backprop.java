package org.looplens.engine.train;

import org.looplens.engine.config.LoopConfig;
import org.looplens.engine.kernels.Kernels;
import org.looplens.engine.model.LayerWeights;
import org.looplens.engine.model.LoopModel;
import org.looplens.engine.model.LoopWeights;
import org.looplens.engine.run.ForwardTape;
import org.looplens.engine.run.LayerBuffers;

/**
 * The backward pass of the looped forward: from the objective's gradients at every step's logits
 * and gate logits, back through the head, the gate and the final norm of each step, through the
 * shared layers in reverse, and from each step's input into the previous step's output, down to
 * the embedding rows. Gradients accumulate into the given arrays (shared layers collect one
 * contribution per step).
 */
public final class Backprop {
    private final LoopModel model;
    private final LoopConfig c;
    private final Kernels k;
    private Scratch scratch; // grown to the largest batch seen, then reused

    public Backprop(LoopModel model, Kernels kernels) {
        this.model = model;
        this.c = model.config();
        this.k = kernels;
    }

    /**
     * Accumulates gradients into {@code grads}. With {@code languageModel} false only the exit gate
     * receives gradients (Stage II: the gate reads detached hidden states).
     */
    public void backward(ForwardTape tape, Batch batch, StepGradients upstream, LoopWeights grads,
                         boolean languageModel) {
        int n = tape.rows();
        int h = c.hiddenSize();
        int vocab = c.vocabSize();
        LoopWeights w = model.weights();
        for (int t = tape.steps() - 1; t >= 0; t--) {
            gateGradient(tape.hidden(t), upstream.gate(t), grads, n, h);
        }
        if (!languageModel) {
            return;
        }
        if (scratch == null || scratch.rows < n) {
            scratch = new Scratch(c, n);
        }
        Scratch s = scratch;
        int[] positions = positions(batch);
        float[] dNext = null; // gradient w.r.t. h_t arriving from step t+1
        for (int t = tape.steps() - 1; t >= 0; t--) {
            float[] dh = s.dh;
            if (dNext == null) {
                java.util.Arrays.fill(dh, 0f);
            } else {
                System.arraycopy(dNext, 0, dh, 0, n * h);
            }
            float[] dLogits = upstream.logits(t);
            if (dLogits != null) {
                k.matmul(dLogits, 0, n, vocab, w.lmHead().dense(), 0, h, dh, 0, true);
                k.matmulTransposedAAccumulate(dLogits, 0, n, vocab, tape.hidden(t), 0, h, grads.lmHead().dense(), 0);
            }
            float[] dGate = upstream.gate(t);
            if (dGate != null) {
                k.matmul(dGate, 0, n, 1, w.exitGateWeight(), 0, h, dh, 0, true);
            }
            java.util.Arrays.fill(s.dx, 0f);
            k.rmsNormBackward(tape.prenorm(t), 0, n, h, w.finalNorm(), (float) c.rmsNormEps(), dh, 0, s.dx, 0,
                    grads.finalNorm());
            for (int l = c.numLayers() - 1; l >= 0; l--) {
                layerBackward(tape, t, l, w.layers().get(l), grads.layers().get(l), s, positions, batch);
            }
            // s.dx is now the gradient w.r.t. this step's input: h_{t−1}, or the embeddings. The
            // next iteration copies it into dh before reusing s.dx.
            dNext = s.dx;
        }
        float[] dEmbed = grads.embedTokens().dense();
        for (int r = 0; r < n; r++) {
            int token = batch.token(r);
            for (int j = 0; j < h; j++) {
                dEmbed[token * h + j] += dNext[r * h + j];
            }
        }
    }

    private void gateGradient(float[] hidden, float[] dGate, LoopWeights grads, int n, int h) {
        if (dGate == null) {
            return;
        }
        k.matmulTransposedAAccumulate(dGate, 0, n, 1, hidden, 0, h, grads.exitGateWeight(), 0);
        double bias = 0;
        for (int r = 0; r < n; r++) {
            bias += dGate[r];
        }
        grads.exitGateBias()[0] += (float) bias;
    }

    private void layerBackward(ForwardTape tape, int t, int l, LayerWeights lw, LayerWeights g, Scratch s,
                               int[] positions, Batch batch) {
        LayerBuffers b = tape.layer(t, l);
        int n = tape.rows();
        int h = c.hiddenSize();
        int qd = c.qDim();
        int kvd = c.kvDim();
        int inter = c.intermediateSize();
        float eps = (float) c.rmsNormEps();
        float[] dOut = s.dx; // gradient w.r.t. this layer's output x = mid + N4(dPre)

        // MLP branch.
        java.util.Arrays.fill(s.dBranch, 0f);
        k.rmsNormBackward(b.dPre, 0, n, h, lw.postAttentionNorm2(), eps, dOut, 0, s.dBranch, 0,
                g.postAttentionNorm2());
        k.matmul(s.dBranch, 0, n, h, lw.downProj().dense(), 0, inter, s.dAct, 0, false);
        k.matmulTransposedAAccumulate(s.dBranch, 0, n, h, b.act, 0, inter, g.downProj().dense(), 0);
        k.swigluBackward(b.g, 0, b.u, 0, s.dAct, 0, s.dG, 0, s.dU, 0, n * inter);
        k.matmul(s.dG, 0, n, inter, lw.gateProj().dense(), 0, h, s.dM, 0, false);
        k.matmul(s.dU, 0, n, inter, lw.upProj().dense(), 0, h, s.dM, 0, true);
        k.matmulTransposedAAccumulate(s.dG, 0, n, inter, b.m, 0, h, g.gateProj().dense(), 0);
        k.matmulTransposedAAccumulate(s.dU, 0, n, inter, b.m, 0, h, g.upProj().dense(), 0);
        // dOut already is d/dmid through the residual; add the path through N3.
        k.rmsNormBackward(b.mid, 0, n, h, lw.postAttentionNorm(), eps, s.dM, 0, dOut, 0, g.postAttentionNorm());

        // Attention branch: dOut now holds d/dmid, which reaches xIn through the residual.
        java.util.Arrays.fill(s.dBranch, 0f);
        k.rmsNormBackward(b.oPre, 0, n, h, lw.inputNorm2(), eps, dOut, 0, s.dBranch, 0, g.inputNorm2());
        k.matmul(s.dBranch, 0, n, h, lw.oProj().dense(), 0, qd, s.dCtx, 0, false);
        k.matmulTransposedAAccumulate(s.dBranch, 0, n, h, b.context, 0, qd, g.oProj().dense(), 0);
        float scale = (float) (1.0 / Math.sqrt(c.headDim()));
        for (int seq = 0; seq < tape.sequences(); seq++) {
            int r0 = tape.rowStart(seq);
            int len = tape.rowStart(seq + 1) - r0;
            k.attentionBackward(b.q, r0 * qd, b.k, r0 * kvd, b.v, r0 * kvd, tape.probs(t, l), tape.probsOffset(seq),
                    s.dCtx, r0 * qd, len, c.numHeads(), c.numKvHeads(), c.headDim(), scale,
                    s.dQ, r0 * qd, s.dK, r0 * kvd, s.dV, r0 * kvd);
        }
        float[] cos = model.rope().cos();
        float[] sin = model.rope().sin();
        k.ropeBackward(s.dQ, 0, n, c.numHeads(), c.headDim(), positions, 0, cos, sin);
        k.ropeBackward(s.dK, 0, n, c.numKvHeads(), c.headDim(), positions, 0, cos, sin);
        k.matmul(s.dQ, 0, n, qd, lw.qProj().dense(), 0, h, s.dA, 0, false);
        k.matmul(s.dK, 0, n, kvd, lw.kProj().dense(), 0, h, s.dA, 0, true);
        k.matmul(s.dV, 0, n, kvd, lw.vProj().dense(), 0, h, s.dA, 0, true);
        k.matmulTransposedAAccumulate(s.dQ, 0, n, qd, b.a, 0, h, g.qProj().dense(), 0);
        k.matmulTransposedAAccumulate(s.dK, 0, n, kvd, b.a, 0, h, g.kProj().dense(), 0);
        k.matmulTransposedAAccumulate(s.dV, 0, n, kvd, b.a, 0, h, g.vProj().dense(), 0);
        k.rmsNormBackward(b.xIn, 0, n, h, lw.inputNorm(), eps, s.dA, 0, dOut, 0, g.inputNorm());
        // dOut (= s.dx) is now the gradient w.r.t. xIn, the output of the layer below.
    }

    private static int[] positions(Batch batch) {
        int[] p = new int[batch.rows()];
        int r = 0;
        for (int len : batch.lengths()) {
            for (int i = 0; i < len; i++) {
                p[r++] = i;
            }
        }
        return p;
    }

    /** Gradient buffers for one backward call, reused across steps and layers. */
    private static final class Scratch {
        final int rows;
        final float[] dx;
        final float[] dh;
        final float[] dBranch;
        final float[] dAct;
        final float[] dG;
        final float[] dU;
        final float[] dM;
        final float[] dCtx;
        final float[] dQ;
        final float[] dK;
        final float[] dV;
        final float[] dA;

        Scratch(LoopConfig c, int n) {
            rows = n;
            int h = c.hiddenSize();
            int inter = c.intermediateSize();
            dx = new float[n * h];
            dh = new float[n * h];
            dBranch = new float[n * h];
            dAct = new float[n * inter];
            dG = new float[n * inter];
            dU = new float[n * inter];
            dM = new float[n * h];
            dCtx = new float[n * c.qDim()];
            dQ = new float[n * c.qDim()];
            dK = new float[n * c.kvDim()];
            dV = new float[n * c.kvDim()];
            dA = new float[n * h];
        }

    }
}
