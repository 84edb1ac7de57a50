package org.looplens.engine.kernels;

import static org.looplens.engine.kernels.VectorMath.LANES;
import static org.looplens.engine.kernels.VectorMath.SPECIES;

import java.util.Arrays;
import jdk.incubator.vector.FloatVector;

/**
 * The single-threaded pieces {@link VectorKernels} hands to its workers: one matmul tile, one row,
 * one (head, query) pair or one element range. Every output element's arithmetic is fixed by the
 * problem shape alone, never by how the work was split.
 */
final class VectorOps {
    private VectorOps() {
    }

    /** out[i][j] for rows i0..i1 of x and rows j0..j1 of w; see {@link Kernels#matmulTransposed}. */
    static void matmulTile(float[] x, int xOff, int k, float[] w, int wOff, int m, float[] out, int outOff,
                           int i0, int i1, int j0, int j1) {
        int i = i0;
        for (; i + 2 <= i1; i += 2) {
            int x0 = xOff + i * k;
            int x1 = x0 + k;
            int o0 = outOff + i * m;
            int o1 = o0 + m;
            int j = j0;
            for (; j + 4 <= j1; j += 4) {
                VectorMath.dot2x4(x, x0, x1, w, wOff + j * k, k, out, o0 + j, o1 + j);
            }
            for (; j < j1; j++) {
                out[o0 + j] = VectorMath.dot(x, x0, w, wOff + j * k, k);
                out[o1 + j] = VectorMath.dot(x, x1, w, wOff + j * k, k);
            }
        }
        if (i < i1) {
            int x0 = xOff + i * k;
            int o0 = outOff + i * m;
            int j = j0;
            for (; j + 4 <= j1; j += 4) {
                VectorMath.dot1x4(x, x0, w, wOff + j * k, k, k, out, o0 + j);
            }
            for (; j < j1; j++) {
                out[o0 + j] = VectorMath.dot(x, x0, w, wOff + j * k, k);
            }
        }
    }

    static void rmsNormRow(float[] x, int in, int d, float[] weight, float eps, float[] out, int o) {
        int bound = SPECIES.loopBound(d);
        FloatVector acc = FloatVector.zero(SPECIES);
        for (int c = 0; c < bound; c += LANES) {
            FloatVector v = FloatVector.fromArray(SPECIES, x, in + c);
            acc = v.fma(v, acc);
        }
        float squares = VectorMath.sumLanes(acc);
        for (int c = bound; c < d; c++) {
            squares = Math.fma(x[in + c], x[in + c], squares);
        }
        float inv = (float) (1.0 / Math.sqrt((double) squares / d + eps));
        // (x * inv) * weight, the order of the Hugging Face RMSNorm.
        for (int c = 0; c < bound; c += LANES) {
            FloatVector.fromArray(SPECIES, x, in + c).mul(inv)
                    .mul(FloatVector.fromArray(SPECIES, weight, c))
                    .intoArray(out, o + c);
        }
        for (int c = bound; c < d; c++) {
            out[o + c] = x[in + c] * inv * weight[c];
        }
    }

    /** Rotates one head in place with the table row at {@code table}; mul and sub kept separate (no fma) on both paths. */
    static void ropeHead(float[] x, int base, int headDim, float[] cos, float[] sin, int table) {
        int half = headDim / 2;
        int bound = SPECIES.loopBound(half);
        for (int j = 0; j < bound; j += LANES) {
            FloatVector x1 = FloatVector.fromArray(SPECIES, x, base + j);
            FloatVector x2 = FloatVector.fromArray(SPECIES, x, base + half + j);
            FloatVector c1 = FloatVector.fromArray(SPECIES, cos, table + j);
            FloatVector s1 = FloatVector.fromArray(SPECIES, sin, table + j);
            FloatVector c2 = FloatVector.fromArray(SPECIES, cos, table + half + j);
            FloatVector s2 = FloatVector.fromArray(SPECIES, sin, table + half + j);
            x1.mul(c1).sub(x2.mul(s1)).intoArray(x, base + j);
            x2.mul(c2).add(x1.mul(s2)).intoArray(x, base + half + j);
        }
        for (int j = bound; j < half; j++) {
            float x1 = x[base + j];
            float x2 = x[base + half + j];
            x[base + j] = x1 * cos[table + j] - x2 * sin[table + j];
            x[base + half + j] = x2 * cos[table + half + j] + x1 * sin[table + half + j];
        }
    }

    /**
     * One softmax row: scaled scores of query q[qBase..] against {@code visible} keys of stride
     * kStride from kBase, then exp(s - max) / sum; entries visible..nk-1 are set to 0.
     */
    static void probsRow(float[] q, int qBase, float[] k, int kBase, int kStride, int headDim, float scale,
                         int visible, int nk, float[] probs, int row) {
        float max = Float.NEGATIVE_INFINITY;
        int j = 0;
        for (; j + 4 <= visible; j += 4) {
            VectorMath.dot1x4(q, qBase, k, kBase + j * kStride, kStride, headDim, probs, row + j);
            for (int t = row + j; t < row + j + 4; t++) {
                probs[t] *= scale;
                max = Math.max(max, probs[t]);
            }
        }
        for (; j < visible; j++) {
            float s = VectorMath.dot(q, qBase, k, kBase + j * kStride, headDim) * scale;
            probs[row + j] = s;
            max = Math.max(max, s);
        }

        int bound = SPECIES.loopBound(visible);
        FloatVector acc = FloatVector.zero(SPECIES);
        for (j = 0; j < bound; j += LANES) {
            FloatVector e = VectorMath.exp(FloatVector.fromArray(SPECIES, probs, row + j).sub(max));
            e.intoArray(probs, row + j);
            acc = acc.add(e);
        }
        float sum = VectorMath.sumLanes(acc);
        for (j = bound; j < visible; j++) {
            float e = VectorMath.exp(probs[row + j] - max);
            probs[row + j] = e;
            sum += e;
        }

        // The maximum contributes e^0 = 1, so sum >= 1 and the reciprocal is safe.
        float inv = 1f / sum;
        for (j = 0; j < bound; j += LANES) {
            FloatVector.fromArray(SPECIES, probs, row + j).mul(inv).intoArray(probs, row + j);
        }
        for (j = bound; j < visible; j++) {
            probs[row + j] *= inv;
        }
        Arrays.fill(probs, row + visible, row + nk, 0f);
    }

    /** Chunks of the head dimension kept in registers at once while streaming the value rows. */
    private static final int CONTEXT_CHUNKS = 4;

    /**
     * One output head: sum over j &lt; visible of probs[row + j] times value row j (stride
     * vStride from vBase). Each element is a sequential fma chain over j, on both paths.
     */
    static void contextRow(float[] probs, int row, int visible, float[] v, int vBase, int vStride, int headDim,
                           float[] out, int o) {
        weightedRows(probs, row, 1, visible, v, vBase, vStride, headDim, out, o, false);
    }

    /**
     * {@code out[o + c] (+)= sum_t w[wBase + t*wStride] * rows[rBase + t*rStride + c]} for t &lt; count
     * and c &lt; len: each element one sequential fma chain over t, starting from out[o + c]
     * (accumulate) or 0, on both paths. A chain continued by a second call with accumulate is
     * bit-identical to one longer chain.
     */
    static void weightedRows(float[] w, int wBase, int wStride, int count, float[] rows, int rBase, int rStride,
                             int len, float[] out, int o, boolean accumulate) {
        int bound = SPECIES.loopBound(len);
        int c = 0;
        for (; c + CONTEXT_CHUNKS * LANES <= bound; c += CONTEXT_CHUNKS * LANES) {
            FloatVector a0;
            FloatVector a1;
            FloatVector a2;
            FloatVector a3;
            if (accumulate) {
                a0 = FloatVector.fromArray(SPECIES, out, o + c);
                a1 = FloatVector.fromArray(SPECIES, out, o + c + LANES);
                a2 = FloatVector.fromArray(SPECIES, out, o + c + 2 * LANES);
                a3 = FloatVector.fromArray(SPECIES, out, o + c + 3 * LANES);
            } else {
                a0 = FloatVector.zero(SPECIES);
                a1 = a0;
                a2 = a0;
                a3 = a0;
            }
            int r = rBase + c;
            int wi = wBase;
            for (int t = 0; t < count; t++, r += rStride, wi += wStride) {
                FloatVector p = FloatVector.broadcast(SPECIES, w[wi]);
                a0 = FloatVector.fromArray(SPECIES, rows, r).fma(p, a0);
                a1 = FloatVector.fromArray(SPECIES, rows, r + LANES).fma(p, a1);
                a2 = FloatVector.fromArray(SPECIES, rows, r + 2 * LANES).fma(p, a2);
                a3 = FloatVector.fromArray(SPECIES, rows, r + 3 * LANES).fma(p, a3);
            }
            a0.intoArray(out, o + c);
            a1.intoArray(out, o + c + LANES);
            a2.intoArray(out, o + c + 2 * LANES);
            a3.intoArray(out, o + c + 3 * LANES);
        }
        for (; c < bound; c += LANES) {
            FloatVector a = accumulate ? FloatVector.fromArray(SPECIES, out, o + c) : FloatVector.zero(SPECIES);
            int r = rBase + c;
            int wi = wBase;
            for (int t = 0; t < count; t++, r += rStride, wi += wStride) {
                a = FloatVector.fromArray(SPECIES, rows, r).fma(FloatVector.broadcast(SPECIES, w[wi]), a);
            }
            a.intoArray(out, o + c);
        }
        for (; c < len; c++) {
            float a = accumulate ? out[o + c] : 0f;
            int r = rBase + c;
            int wi = wBase;
            for (int t = 0; t < count; t++, r += rStride, wi += wStride) {
                a = Math.fma(rows[r], w[wi], a);
            }
            out[o + c] = a;
        }
    }

    static void swiglu(float[] gate, int gateOff, float[] up, int upOff, float[] out, int outOff, int from, int to) {
        int i = from;
        for (; i + LANES <= to; i += LANES) {
            VectorMath.siluTimes(FloatVector.fromArray(SPECIES, gate, gateOff + i),
                    FloatVector.fromArray(SPECIES, up, upOff + i)).intoArray(out, outOff + i);
        }
        for (; i < to; i++) {
            out[outOff + i] = VectorMath.siluTimes(gate[gateOff + i], up[upOff + i]);
        }
    }

    static void add(float[] acc, int accOff, float[] x, int xOff, int from, int to) {
        int i = from;
        for (; i + LANES <= to; i += LANES) {
            FloatVector.fromArray(SPECIES, acc, accOff + i)
                    .add(FloatVector.fromArray(SPECIES, x, xOff + i))
                    .intoArray(acc, accOff + i);
        }
        for (; i < to; i++) {
            acc[accOff + i] += x[xOff + i];
        }
    }
}
