package org.looplens.engine.kernels;

/**
 * The reference backend: plain loops, with sums, dot products and the softmax done in double so
 * that it is more accurate than any float32 implementation it is compared against.
 *
 * <p>Slow by design; the parity tests measure {@link VectorKernels} against it.
 */
public final class ScalarKernels implements Kernels {

    @Override
    public String name() {
        return "scalar";
    }

    @Override
    public void matmulTransposed(float[] x, int xOff, int n, int k, float[] w, int wOff, int m,
                                 float[] out, int outOff) {
        for (int i = 0; i < n; i++) {
            int xRow = xOff + i * k;
            for (int j = 0; j < m; j++) {
                int wRow = wOff + j * k;
                double sum = 0;
                for (int p = 0; p < k; p++) {
                    sum += (double) x[xRow + p] * w[wRow + p];
                }
                out[outOff + i * m + j] = (float) sum;
            }
        }
    }

    @Override
    public void matmulTransposedBf16(float[] x, int xOff, int n, int k, java.lang.foreign.MemorySegment w, int m,
                                     float[] out, int outOff) {
        ScalarBf16.matmulTransposed(x, xOff, n, k, w, m, out, outOff);
    }

    @Override
    public void rmsNorm(float[] x, int xOff, int rows, int d, float[] weight, float eps, float[] out, int outOff) {
        for (int r = 0; r < rows; r++) {
            int in = xOff + r * d;
            int o = outOff + r * d;
            double squares = 0;
            for (int c = 0; c < d; c++) {
                squares += (double) x[in + c] * x[in + c];
            }
            double inv = 1.0 / Math.sqrt(squares / d + eps);
            for (int c = 0; c < d; c++) {
                out[o + c] = (float) (x[in + c] * inv * weight[c]);
            }
        }
    }

    @Override
    public void rope(float[] x, int xOff, int rows, int heads, int headDim, int[] positions, int posOff,
                     float[] cos, float[] sin) {
        ScalarBackward.rotate(x, xOff, rows, heads, headDim, positions, posOff, cos, sin, 1);
    }

    @Override
    public void attentionProbs(float[] q, int qOff, int nq, int qStart, float[] k, int kOff, int nk,
                               int heads, int kvHeads, int headDim, float scale, float[] probs, int probsOff) {
        KernelChecks.attention(nq, qStart, nk, heads, kvHeads, headDim);
        int group = heads / kvHeads;
        for (int h = 0; h < heads; h++) {
            int kBase = kOff + (h / group) * headDim;
            for (int i = 0; i < nq; i++) {
                int qBase = qOff + (i * heads + h) * headDim;
                int row = probsOff + (h * nq + i) * nk;
                int visible = qStart + i + 1;
                // Scores are recomputed in each pass so that none is rounded to float before the softmax.
                double max = Double.NEGATIVE_INFINITY;
                for (int j = 0; j < visible; j++) {
                    max = Math.max(max, score(q, qBase, k, kBase + j * kvHeads * headDim, headDim, scale));
                }
                double sum = 0;
                for (int j = 0; j < visible; j++) {
                    sum += Math.exp(score(q, qBase, k, kBase + j * kvHeads * headDim, headDim, scale) - max);
                }
                for (int j = 0; j < visible; j++) {
                    double e = Math.exp(score(q, qBase, k, kBase + j * kvHeads * headDim, headDim, scale) - max);
                    probs[row + j] = (float) (e / sum);
                }
                for (int j = visible; j < nk; j++) {
                    probs[row + j] = 0f;
                }
            }
        }
    }

    private static double score(float[] q, int qBase, float[] k, int kBase, int headDim, float scale) {
        double dot = 0;
        for (int c = 0; c < headDim; c++) {
            dot += (double) q[qBase + c] * k[kBase + c];
        }
        return dot * scale;
    }

    @Override
    public void attentionContext(float[] probs, int probsOff, int nq, int qStart, float[] v, int vOff, int nk,
                                 int heads, int kvHeads, int headDim, float[] out, int outOff) {
        KernelChecks.attention(nq, qStart, nk, heads, kvHeads, headDim);
        int group = heads / kvHeads;
        for (int h = 0; h < heads; h++) {
            int vBase = vOff + (h / group) * headDim;
            for (int i = 0; i < nq; i++) {
                int row = probsOff + (h * nq + i) * nk;
                int o = outOff + (i * heads + h) * headDim;
                int visible = qStart + i + 1;
                for (int c = 0; c < headDim; c++) {
                    double sum = 0;
                    for (int j = 0; j < visible; j++) {
                        sum += (double) probs[row + j] * v[vBase + j * kvHeads * headDim + c];
                    }
                    out[o + c] = (float) sum;
                }
            }
        }
    }

    @Override
    public void swiglu(float[] gate, int gateOff, float[] up, int upOff, float[] out, int outOff, int n) {
        for (int i = 0; i < n; i++) {
            out[outOff + i] = (float) (silu(gate[gateOff + i]) * up[upOff + i]);
        }
    }

    /** z / (1 + e^-z) in double: e^-z overflows to infinity only for z below about -709, giving -0. */
    static double silu(double z) {
        return z / (1.0 + Math.exp(-z));
    }

    @Override
    public void addInPlace(float[] acc, int accOff, float[] x, int xOff, int n) {
        for (int i = 0; i < n; i++) {
            acc[accOff + i] += x[xOff + i];
        }
    }

    // Backward passes: the plain reference loops for now.

    @Override
    public void matmul(float[] a, int aOff, int n, int k, float[] b, int bOff, int m, float[] out, int outOff,
                       boolean accumulate) {
        ScalarBackward.matmul(a, aOff, n, k, b, bOff, m, out, outOff, accumulate);
    }

    @Override
    public void matmulTransposedAAccumulate(float[] a, int aOff, int rows, int m, float[] b, int bOff, int k,
                                            float[] out, int outOff) {
        ScalarBackward.matmulTransposedAAccumulate(a, aOff, rows, m, b, bOff, k, out, outOff);
    }

    @Override
    public void rmsNormBackward(float[] x, int xOff, int rows, int d, float[] weight, float eps, float[] dy,
                                int dyOff, float[] dx, int dxOff, float[] dWeight) {
        ScalarBackward.rmsNormBackward(x, xOff, rows, d, weight, eps, dy, dyOff, dx, dxOff, dWeight);
    }

    @Override
    public void ropeBackward(float[] dx, int dxOff, int rows, int heads, int headDim, int[] positions, int posOff,
                             float[] cos, float[] sin) {
        ScalarBackward.rotate(dx, dxOff, rows, heads, headDim, positions, posOff, cos, sin, -1);
    }

    @Override
    public void attentionBackward(float[] q, int qOff, float[] k, int kOff, float[] v, int vOff, float[] probs,
                                  int probsOff, float[] dContext, int dcOff, int n, int heads, int kvHeads,
                                  int headDim, float scale, float[] dq, int dqOff, float[] dk, int dkOff, float[] dv,
                                  int dvOff) {
        ScalarBackward.attentionBackward(q, qOff, k, kOff, v, vOff, probs, probsOff, dContext, dcOff, n, heads,
                kvHeads, headDim, scale, dq, dqOff, dk, dkOff, dv, dvOff);
    }

    @Override
    public void swigluBackward(float[] gate, int gateOff, float[] up, int upOff, float[] dOut, int dOutOff,
                               float[] dGate, int dGateOff, float[] dUp, int dUpOff, int n) {
        ScalarBackward.swigluBackward(gate, gateOff, up, upOff, dOut, dOutOff, dGate, dGateOff, dUp, dUpOff, n);
    }
}
