package org.looplens.engine.run;

import org.looplens.engine.config.LoopConfig;

/**
 * The activations of one layer application over all rows of a batch, named as in the forward
 * pass: {@code a = N1(xIn)}, q/k/v (after RoPE), {@code context}, {@code oPre = context·Woᵀ},
 * {@code mid}, {@code m = N3(mid)}, {@code g}/{@code u} (gate and up projections),
 * {@code act = silu(g)·u}, {@code dPre = act·Wdᵀ}. Inference reuses one set for every
 * (step, layer) and leaves {@code xIn}/{@code mid} out; a {@link ForwardTape} keeps one set per
 * (step, layer) for the backward pass.
 */
public final class LayerBuffers {
    public final float[] xIn;
    public final float[] a;
    public final float[] q;
    public final float[] k;
    public final float[] v;
    public final float[] context;
    public final float[] oPre;
    public final float[] mid;
    public final float[] m;
    public final float[] g;
    public final float[] u;
    public final float[] act;
    public final float[] dPre;

    LayerBuffers(LoopConfig c, int rows, boolean keepResiduals) {
        int h = c.hiddenSize();
        int inter = c.intermediateSize();
        xIn = keepResiduals ? new float[rows * h] : null;
        a = new float[rows * h];
        q = new float[rows * c.qDim()];
        k = new float[rows * c.kvDim()];
        v = new float[rows * c.kvDim()];
        context = new float[rows * c.qDim()];
        oPre = new float[rows * h];
        mid = keepResiduals ? new float[rows * h] : null;
        m = new float[rows * h];
        g = new float[rows * inter];
        u = new float[rows * inter];
        act = new float[rows * inter];
        dPre = new float[rows * h];
    }
}
