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
        int bound = SPECIES.loopBound(headDim);
        int c = 0;
        for (; c + CONTEXT_CHUNKS * LANES <= bound; c += CONTEXT_CHUNKS * LANES) {
            FloatVector a0 = FloatVector.zero(SPECIES);
            FloatVector a1 = a0;
            FloatVector a2 = a0;
            FloatVector a3 = a0;
            int vr = vBase + c;
            for (int j = 0; j < visible; j++, vr += vStride) {
                FloatVector p = FloatVector.broadcast(SPECIES, probs[row + j]);
                a0 = FloatVector.fromArray(SPECIES, v, vr).fma(p, a0);
                a1 = FloatVector.fromArray(SPECIES, v, vr + LANES).fma(p, a1);
                a2 = FloatVector.fromArray(SPECIES, v, vr + 2 * LANES).fma(p, a2);
                a3 = FloatVector.fromArray(SPECIES, v, vr + 3 * LANES).fma(p, a3);
            }
            a0.intoArray(out, o + c);
            a1.intoArray(out, o + c + LANES);
            a2.intoArray(out, o + c + 2 * LANES);
            a3.intoArray(out, o + c + 3 * LANES);
        }
        for (; c < bound; c += LANES) {
            FloatVector a = FloatVector.zero(SPECIES);
            int vr = vBase + c;
            for (int j = 0; j < visible; j++, vr += vStride) {
                a = FloatVector.fromArray(SPECIES, v, vr).fma(FloatVector.broadcast(SPECIES, probs[row + j]), a);
            }
            a.intoArray(out, o + c);
        }
        for (; c < headDim; c++) {
            float a = 0f;
            int vr = vBase + c;
            for (int j = 0; j < visible; j++, vr += vStride) {
                a = Math.fma(v[vr], probs[row + j], a);
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
