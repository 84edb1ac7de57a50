package org.looplens.engine.kernels;

/**
 * The backward operations of {@link Kernels} as plain loops with double accumulation: the
 * reference that faster backends are tested against. Stateless.
 */
final class ScalarBackward {
    private ScalarBackward() {
    }

    static void matmul(float[] a, int aOff, int n, int k, float[] b, int bOff, int m, float[] out, int outOff,
                       boolean accumulate) {
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < m; j++) {
                double sum = accumulate ? out[outOff + i * m + j] : 0;
                for (int p = 0; p < k; p++) {
                    sum += (double) a[aOff + i * k + p] * b[bOff + p * m + j];
                }
                out[outOff + i * m + j] = (float) sum;
            }
        }
    }

    static void matmulTransposedAAccumulate(float[] a, int aOff, int rows, int m, float[] b, int bOff, int k,
                                            float[] out, int outOff) {
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < k; j++) {
                double sum = out[outOff + i * k + j];
                for (int r = 0; r < rows; r++) {
                    sum += (double) a[aOff + r * m + i] * b[bOff + r * k + j];
                }
                out[outOff + i * k + j] = (float) sum;
            }
        }
    }

    static void rmsNormBackward(float[] x, int xOff, int rows, int d, float[] weight, float eps, float[] dy,
                                int dyOff, float[] dx, int dxOff, float[] dWeight) {
        for (int r = 0; r < rows; r++) {
            int in = xOff + r * d;
            int g = dyOff + r * d;
            double squares = 0;
            double dot = 0;
            for (int c = 0; c < d; c++) {
                squares += (double) x[in + c] * x[in + c];
                dot += (double) weight[c] * dy[g + c] * x[in + c];
            }
            double inv = 1.0 / Math.sqrt(squares / d + eps);
            double coef = inv * inv * inv * dot / d;
            for (int c = 0; c < d; c++) {
                dx[dxOff + r * d + c] += (float) (inv * weight[c] * dy[g + c] - x[in + c] * coef);
                dWeight[c] += (float) ((double) dy[g + c] * x[in + c] * inv);
            }
        }
    }

    /**
     * Rotates pairs (x1, x2) = (x[j], x[j + half]) by the position's angle, or by its negative
     * ({@code direction} −1, the transpose: the gradient of the rotation).
     */
    static void rotate(float[] x, int off, int rows, int heads, int headDim, int[] positions, int posOff,
                       float[] cos, float[] sin, int direction) {
        KernelChecks.rope(headDim);
        int half = headDim / 2;
        for (int r = 0; r < rows; r++) {
            int table = positions[posOff + r] * headDim;
            for (int h = 0; h < heads; h++) {
                int base = off + (r * heads + h) * headDim;
                for (int j = 0; j < half; j++) {
                    double x1 = x[base + j];
                    double x2 = x[base + half + j];
                    double c = cos[table + j];
                    double sn = direction * (double) sin[table + j];
                    x[base + j] = (float) (x1 * c - x2 * sn);
                    x[base + half + j] = (float) (x2 * c + x1 * sn);
                }
            }
        }
    }

    static void attentionBackward(float[] q, int qOff, float[] k, int kOff, float[] v, int vOff, float[] probs,
                                  int probsOff, float[] dContext, int dcOff, int n, int heads, int kvHeads,
                                  int headDim, float scale, float[] dq, int dqOff, float[] dk, int dkOff, float[] dv,
                                  int dvOff) {
        KernelChecks.attention(n, 0, n, heads, kvHeads, headDim);
        int qw = heads * headDim;
        int kw = kvHeads * headDim;
        int group = heads / kvHeads;
        double[] dqAcc = new double[n * qw];
        double[] dkAcc = new double[n * kw];
        double[] dvAcc = new double[n * kw];
        double[] dp = new double[n];
        for (int h = 0; h < heads; h++) {
            int g = h / group;
            for (int i = 0; i < n; i++) {
                int prow = probsOff + (h * n + i) * n;
                int dci = dcOff + i * qw + h * headDim;
                double rowDot = 0;
                for (int j = 0; j <= i; j++) {
                    double s = 0;
                    for (int c = 0; c < headDim; c++) {
                        s += (double) dContext[dci + c] * v[vOff + j * kw + g * headDim + c];
                    }
                    dp[j] = s;
                    rowDot += s * probs[prow + j];
                }
                for (int j = 0; j <= i; j++) {
                    double p = probs[prow + j];
                    double ds = p * (dp[j] - rowDot) * scale;
                    for (int c = 0; c < headDim; c++) {
                        dqAcc[i * qw + h * headDim + c] += ds * k[kOff + j * kw + g * headDim + c];
                        dkAcc[j * kw + g * headDim + c] += ds * q[qOff + i * qw + h * headDim + c];
                        dvAcc[j * kw + g * headDim + c] += p * dContext[dci + c];
                    }
                }
            }
        }
        for (int i = 0; i < n * qw; i++) {
            dq[dqOff + i] = (float) dqAcc[i];
        }
        for (int i = 0; i < n * kw; i++) {
            dk[dkOff + i] = (float) dkAcc[i];
            dv[dvOff + i] = (float) dvAcc[i];
        }
    }

    static void swigluBackward(float[] gate, int gateOff, float[] up, int upOff, float[] dOut, int dOutOff,
                               float[] dGate, int dGateOff, float[] dUp, int dUpOff, int n) {
        for (int i = 0; i < n; i++) {
            double z = gate[gateOff + i];
            double sig = 1.0 / (1.0 + Math.exp(-z));
            double silu = z * sig;
            double dsilu = sig * (1 + z * (1 - sig));
            double g = dOut[dOutOff + i];
            dGate[dGateOff + i] = (float) (g * up[upOff + i] * dsilu);
            dUp[dUpOff + i] = (float) (g * silu);
        }
    }
}
