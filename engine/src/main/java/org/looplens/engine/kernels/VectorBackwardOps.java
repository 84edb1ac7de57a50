package org.looplens.engine.kernels;

import static org.looplens.engine.kernels.VectorMath.LANES;
import static org.looplens.engine.kernels.VectorMath.SPECIES;

import java.util.Arrays;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;

/**
 * The single-threaded pieces of the backward operations that {@link VectorKernels} hands to its
 * workers. As in {@link VectorOps}, every output element's arithmetic is fixed by the problem
 * shape alone: the vector path and the scalar tail perform the same operations in the same order.
 */
final class VectorBackwardOps {
    private VectorBackwardOps() {
    }

    /** Depth (reduction length) of one block of the product, so a panel of B stays in L1. */
    static final int KC = 128;

    /** Vectors of output columns per register block of the product. */
    static final int PANEL_VECTORS = 3;

    /** Output columns per register block of the product. */
    static final int PANEL = PANEL_VECTORS * LANES;

    // ---- Matrix product ----

    /**
     * Rows i0..i1 and columns j0..j1 of {@code out = A·B} (plus out when accumulating), where
     * {@code A[i][p] = a[aOff + i*aRow + p*aCol]} for p &lt; depth and row p of B starts at
     * {@code b[bOff + p*cols]}; out has row stride cols. Every element is one sequential fma chain
     * over p = 0..depth-1 that starts from out (accumulate) or from 0, on every path, so neither
     * the tiling nor the column position changes a bit.
     */
    static void gemmTile(float[] a, int aOff, int aRow, int aCol, int depth, float[] b, int bOff, int cols,
                         float[] out, int outOff, int i0, int i1, int j0, int j1, boolean accumulate) {
        if (depth == 0) {
            if (!accumulate) {
                for (int i = i0; i < i1; i++) {
                    Arrays.fill(out, outOff + i * cols + j0, outOff + i * cols + j1, 0f);
                }
            }
            return;
        }
        for (int p0 = 0; p0 < depth; p0 += KC) {
            int kc = Math.min(KC, depth - p0);
            boolean init = !accumulate && p0 == 0;
            int aP = aOff + p0 * aCol;
            int bP = bOff + p0 * cols;
            int j = j0;
            for (; j + PANEL <= j1; j += PANEL) {
                int i = i0;
                for (; i + 4 <= i1; i += 4) {
                    block4x3(a, aP + i * aRow, aRow, aCol, kc, b, bP + j, cols, out, outOff + i * cols + j, init);
                }
                for (; i < i1; i++) {
                    block1x3(a, aP + i * aRow, aCol, kc, b, bP + j, cols, out, outOff + i * cols + j, init);
                }
            }
            for (; j + LANES <= j1; j += LANES) {
                int i = i0;
                for (; i + 4 <= i1; i += 4) {
                    block4x1(a, aP + i * aRow, aRow, aCol, kc, b, bP + j, cols, out, outOff + i * cols + j, init);
                }
                for (; i < i1; i++) {
                    block1x1(a, aP + i * aRow, aCol, kc, b, bP + j, cols, out, outOff + i * cols + j, init);
                }
            }
            for (; j < j1; j++) {
                for (int i = i0; i < i1; i++) {
                    int o = outOff + i * cols + j;
                    float acc = init ? 0f : out[o];
                    int ap = aP + i * aRow;
                    int bp = bP + j;
                    for (int p = 0; p < kc; p++, ap += aCol, bp += cols) {
                        acc = Math.fma(a[ap], b[bp], acc);
                    }
                    out[o] = acc;
                }
            }
        }
    }

    /** Four rows of A against PANEL columns of B: twelve accumulators, each B load used four times. */
    private static void block4x3(float[] a, int ap, int aRow, int aCol, int kc, float[] b, int bp, int cols,
                                 float[] out, int o, boolean init) {
        int o1 = o + cols;
        int o2 = o1 + cols;
        int o3 = o2 + cols;
        FloatVector c00;
        FloatVector c01;
        FloatVector c02;
        FloatVector c10;
        FloatVector c11;
        FloatVector c12;
        FloatVector c20;
        FloatVector c21;
        FloatVector c22;
        FloatVector c30;
        FloatVector c31;
        FloatVector c32;
        if (init) {
            c00 = FloatVector.zero(SPECIES);
            c01 = c00;
            c02 = c00;
            c10 = c00;
            c11 = c00;
            c12 = c00;
            c20 = c00;
            c21 = c00;
            c22 = c00;
            c30 = c00;
            c31 = c00;
            c32 = c00;
        } else {
            c00 = FloatVector.fromArray(SPECIES, out, o);
            c01 = FloatVector.fromArray(SPECIES, out, o + LANES);
            c02 = FloatVector.fromArray(SPECIES, out, o + 2 * LANES);
            c10 = FloatVector.fromArray(SPECIES, out, o1);
            c11 = FloatVector.fromArray(SPECIES, out, o1 + LANES);
            c12 = FloatVector.fromArray(SPECIES, out, o1 + 2 * LANES);
            c20 = FloatVector.fromArray(SPECIES, out, o2);
            c21 = FloatVector.fromArray(SPECIES, out, o2 + LANES);
            c22 = FloatVector.fromArray(SPECIES, out, o2 + 2 * LANES);
            c30 = FloatVector.fromArray(SPECIES, out, o3);
            c31 = FloatVector.fromArray(SPECIES, out, o3 + LANES);
            c32 = FloatVector.fromArray(SPECIES, out, o3 + 2 * LANES);
        }
        for (int p = 0; p < kc; p++, ap += aCol, bp += cols) {
            FloatVector b0 = FloatVector.fromArray(SPECIES, b, bp);
            FloatVector b1 = FloatVector.fromArray(SPECIES, b, bp + LANES);
            FloatVector b2 = FloatVector.fromArray(SPECIES, b, bp + 2 * LANES);
            FloatVector x = FloatVector.broadcast(SPECIES, a[ap]);
            c00 = b0.fma(x, c00);
            c01 = b1.fma(x, c01);
            c02 = b2.fma(x, c02);
            x = FloatVector.broadcast(SPECIES, a[ap + aRow]);
            c10 = b0.fma(x, c10);
            c11 = b1.fma(x, c11);
            c12 = b2.fma(x, c12);
            x = FloatVector.broadcast(SPECIES, a[ap + 2 * aRow]);
            c20 = b0.fma(x, c20);
            c21 = b1.fma(x, c21);
            c22 = b2.fma(x, c22);
            x = FloatVector.broadcast(SPECIES, a[ap + 3 * aRow]);
            c30 = b0.fma(x, c30);
            c31 = b1.fma(x, c31);
            c32 = b2.fma(x, c32);
        }
        c00.intoArray(out, o);
        c01.intoArray(out, o + LANES);
        c02.intoArray(out, o + 2 * LANES);
        c10.intoArray(out, o1);
        c11.intoArray(out, o1 + LANES);
        c12.intoArray(out, o1 + 2 * LANES);
        c20.intoArray(out, o2);
        c21.intoArray(out, o2 + LANES);
        c22.intoArray(out, o2 + 2 * LANES);
        c30.intoArray(out, o3);
        c31.intoArray(out, o3 + LANES);
        c32.intoArray(out, o3 + 2 * LANES);
    }

    private static void block1x3(float[] a, int ap, int aCol, int kc, float[] b, int bp, int cols,
                                 float[] out, int o, boolean init) {
        FloatVector c0;
        FloatVector c1;
        FloatVector c2;
        if (init) {
            c0 = FloatVector.zero(SPECIES);
            c1 = c0;
            c2 = c0;
        } else {
            c0 = FloatVector.fromArray(SPECIES, out, o);
            c1 = FloatVector.fromArray(SPECIES, out, o + LANES);
            c2 = FloatVector.fromArray(SPECIES, out, o + 2 * LANES);
        }
        for (int p = 0; p < kc; p++, ap += aCol, bp += cols) {
            FloatVector x = FloatVector.broadcast(SPECIES, a[ap]);
            c0 = FloatVector.fromArray(SPECIES, b, bp).fma(x, c0);
            c1 = FloatVector.fromArray(SPECIES, b, bp + LANES).fma(x, c1);
            c2 = FloatVector.fromArray(SPECIES, b, bp + 2 * LANES).fma(x, c2);
        }
        c0.intoArray(out, o);
        c1.intoArray(out, o + LANES);
        c2.intoArray(out, o + 2 * LANES);
    }

    private static void block4x1(float[] a, int ap, int aRow, int aCol, int kc, float[] b, int bp, int cols,
                                 float[] out, int o, boolean init) {
        int o1 = o + cols;
        int o2 = o1 + cols;
        int o3 = o2 + cols;
        FloatVector c0;
        FloatVector c1;
        FloatVector c2;
        FloatVector c3;
        if (init) {
            c0 = FloatVector.zero(SPECIES);
            c1 = c0;
            c2 = c0;
            c3 = c0;
        } else {
            c0 = FloatVector.fromArray(SPECIES, out, o);
            c1 = FloatVector.fromArray(SPECIES, out, o1);
            c2 = FloatVector.fromArray(SPECIES, out, o2);
            c3 = FloatVector.fromArray(SPECIES, out, o3);
        }
        for (int p = 0; p < kc; p++, ap += aCol, bp += cols) {
            FloatVector bv = FloatVector.fromArray(SPECIES, b, bp);
            c0 = bv.fma(FloatVector.broadcast(SPECIES, a[ap]), c0);
            c1 = bv.fma(FloatVector.broadcast(SPECIES, a[ap + aRow]), c1);
            c2 = bv.fma(FloatVector.broadcast(SPECIES, a[ap + 2 * aRow]), c2);
            c3 = bv.fma(FloatVector.broadcast(SPECIES, a[ap + 3 * aRow]), c3);
        }
        c0.intoArray(out, o);
        c1.intoArray(out, o1);
        c2.intoArray(out, o2);
        c3.intoArray(out, o3);
    }

    private static void block1x1(float[] a, int ap, int aCol, int kc, float[] b, int bp, int cols,
                                 float[] out, int o, boolean init) {
        FloatVector c = init ? FloatVector.zero(SPECIES) : FloatVector.fromArray(SPECIES, out, o);
        for (int p = 0; p < kc; p++, ap += aCol, bp += cols) {
            c = FloatVector.fromArray(SPECIES, b, bp).fma(FloatVector.broadcast(SPECIES, a[ap]), c);
        }
        c.intoArray(out, o);
    }

    // ---- RMSNorm ----

    /**
     * One row of the RMSNorm gradient: {@code dx += r·w·dy − x·r³/d·Σ w·dy·x}. Returns r, computed
     * exactly as {@link VectorOps#rmsNormRow} computes it, for the weight gradient.
     */
    static float rmsNormBackwardRow(float[] x, int in, int d, float[] weight, float eps, float[] dy, int g,
                                    float[] dx, int o) {
        int bound = SPECIES.loopBound(d);
        FloatVector squaresAcc = FloatVector.zero(SPECIES);
        FloatVector dotAcc = FloatVector.zero(SPECIES);
        for (int c = 0; c < bound; c += LANES) {
            FloatVector v = FloatVector.fromArray(SPECIES, x, in + c);
            FloatVector wdy = FloatVector.fromArray(SPECIES, weight, c).mul(FloatVector.fromArray(SPECIES, dy, g + c));
            squaresAcc = v.fma(v, squaresAcc);
            dotAcc = wdy.fma(v, dotAcc);
        }
        float squares = VectorMath.sumLanes(squaresAcc);
        float dot = VectorMath.sumLanes(dotAcc);
        for (int c = bound; c < d; c++) {
            float v = x[in + c];
            squares = Math.fma(v, v, squares);
            dot = Math.fma(weight[c] * dy[g + c], v, dot);
        }
        float inv = (float) (1.0 / Math.sqrt((double) squares / d + eps));
        float negCoef = (float) (-((double) inv * inv * inv * dot / d));
        for (int c = 0; c < bound; c += LANES) {
            FloatVector t = FloatVector.fromArray(SPECIES, weight, c).mul(FloatVector.fromArray(SPECIES, dy, g + c))
                    .mul(inv);
            t = FloatVector.fromArray(SPECIES, x, in + c).fma(FloatVector.broadcast(SPECIES, negCoef), t);
            FloatVector.fromArray(SPECIES, dx, o + c).add(t).intoArray(dx, o + c);
        }
        for (int c = bound; c < d; c++) {
            float t = weight[c] * dy[g + c] * inv;
            t = Math.fma(x[in + c], negCoef, t);
            dx[o + c] += t;
        }
        return inv;
    }

    /**
     * Columns c0..c1 of the RMSNorm weight gradient: {@code dWeight[c] += dy·x·r} row after row, in
     * row order, with the per-row r from {@code inv[0..rows)}.
     */
    static void rmsNormWeightGrad(float[] x, int xOff, int rows, int d, float[] dy, int dyOff, float[] inv,
                                  float[] dWeight, int c0, int c1) {
        int c = c0;
        for (; c + LANES <= c1; c += LANES) {
            FloatVector acc = FloatVector.fromArray(SPECIES, dWeight, c);
            for (int r = 0; r < rows; r++) {
                acc = acc.add(FloatVector.fromArray(SPECIES, dy, dyOff + r * d + c)
                        .mul(FloatVector.fromArray(SPECIES, x, xOff + r * d + c))
                        .mul(inv[r]));
            }
            acc.intoArray(dWeight, c);
        }
        for (; c < c1; c++) {
            float acc = dWeight[c];
            for (int r = 0; r < rows; r++) {
                acc += dy[dyOff + r * d + c] * x[xOff + r * d + c] * inv[r];
            }
            dWeight[c] = acc;
        }
    }

    // ---- Rotary embedding ----

    /** Rotates one head's gradient back in place: the transpose of {@link VectorOps#ropeHead}. */
    static void ropeHeadBackward(float[] dx, int base, int headDim, float[] cos, float[] sin, int table) {
        int half = headDim / 2;
        int bound = SPECIES.loopBound(half);
        for (int j = 0; j < bound; j += LANES) {
            FloatVector g1 = FloatVector.fromArray(SPECIES, dx, base + j);
            FloatVector g2 = FloatVector.fromArray(SPECIES, dx, base + half + j);
            FloatVector c1 = FloatVector.fromArray(SPECIES, cos, table + j);
            FloatVector s1 = FloatVector.fromArray(SPECIES, sin, table + j);
            FloatVector c2 = FloatVector.fromArray(SPECIES, cos, table + half + j);
            FloatVector s2 = FloatVector.fromArray(SPECIES, sin, table + half + j);
            g1.mul(c1).add(g2.mul(s2)).intoArray(dx, base + j);
            g2.mul(c2).sub(g1.mul(s1)).intoArray(dx, base + half + j);
        }
        for (int j = bound; j < half; j++) {
            float g1 = dx[base + j];
            float g2 = dx[base + half + j];
            dx[base + j] = g1 * cos[table + j] + g2 * sin[table + half + j];
            dx[base + half + j] = g2 * cos[table + half + j] - g1 * sin[table + j];
        }
    }

    // ---- Attention ----

    /**
     * One (head, query) row of the attention gradient's first pass. Writes
     * {@code dS[j] = P[j]·(dP[j] − Σ_l P[l]·dP[l])·scale} with {@code dP[j] = dCtx·v_j} to
     * {@code ds[dsRow + j]} for j &lt; visible, zeros to visible..n-1, and the query gradient
     * {@code dq = Σ_j dS[j]·k_j} to {@code dq[dqBase..]}.
     */
    static void attentionRow(float[] dContext, int dcBase, float[] v, int vBase, float[] k, int kBase, int kvStride,
                             int headDim, float[] probs, int pRow, int visible, int n, float scale,
                             float[] ds, int dsRow, float[] dq, int dqBase) {
        int j = 0;
        for (; j + 4 <= visible; j += 4) {
            VectorMath.dot1x4(dContext, dcBase, v, vBase + j * kvStride, kvStride, headDim, ds, dsRow + j);
        }
        for (; j < visible; j++) {
            ds[dsRow + j] = VectorMath.dot(dContext, dcBase, v, vBase + j * kvStride, headDim);
        }
        float rowDot = VectorMath.dot(probs, pRow, ds, dsRow, visible);
        int bound = SPECIES.loopBound(visible);
        for (j = 0; j < bound; j += LANES) {
            FloatVector.fromArray(SPECIES, probs, pRow + j)
                    .mul(FloatVector.fromArray(SPECIES, ds, dsRow + j).sub(rowDot))
                    .mul(scale)
                    .intoArray(ds, dsRow + j);
        }
        for (; j < visible; j++) {
            ds[dsRow + j] = probs[pRow + j] * (ds[dsRow + j] - rowDot) * scale;
        }
        Arrays.fill(ds, dsRow + visible, dsRow + n, 0f);
        VectorOps.weightedRows(ds, dsRow, 1, visible, k, kBase, kvStride, headDim, dq, dqBase, false);
    }

    // ---- SwiGLU ----

    /**
     * Elements from..to of the SwiGLU gradient. With e = e^-z (the clamped {@link VectorMath#exp}),
     * σ = 1/(1+e), silu = z/(1+e) as in the forward pass and 1−σ taken as e·σ for z ≥ 0 (no
     * cancellation) and as 1−σ below: silu' = σ + silu·(1−σ), finite for every finite z.
     */
    static void swigluBackward(float[] gate, int gateOff, float[] up, int upOff, float[] dOut, int dOutOff,
                               float[] dGate, int dGateOff, float[] dUp, int dUpOff, int from, int to) {
        int i = from;
        for (; i + LANES <= to; i += LANES) {
            FloatVector z = FloatVector.fromArray(SPECIES, gate, gateOff + i);
            FloatVector e = VectorMath.exp(z.neg());
            FloatVector denom = e.add(1f);
            FloatVector sig = FloatVector.broadcast(SPECIES, 1f).div(denom);
            FloatVector silu = z.div(denom);
            FloatVector oneMinusSig = e.mul(sig)
                    .blend(FloatVector.broadcast(SPECIES, 1f).sub(sig), z.compare(VectorOperators.LT, 0f));
            FloatVector dsilu = silu.fma(oneMinusSig, sig);
            FloatVector g = FloatVector.fromArray(SPECIES, dOut, dOutOff + i);
            g.mul(FloatVector.fromArray(SPECIES, up, upOff + i)).mul(dsilu).intoArray(dGate, dGateOff + i);
            g.mul(silu).intoArray(dUp, dUpOff + i);
        }
        for (; i < to; i++) {
            float z = gate[gateOff + i];
            float e = VectorMath.exp(-z);
            float denom = e + 1f;
            float sig = 1f / denom;
            float silu = z / denom;
            float oneMinusSig = z < 0f ? 1f - sig : e * sig;
            float dsilu = Math.fma(silu, oneMinusSig, sig);
            float g = dOut[dOutOff + i];
            dGate[dGateOff + i] = g * up[upOff + i] * dsilu;
            dUp[dUpOff + i] = g * silu;
        }
    }
}
