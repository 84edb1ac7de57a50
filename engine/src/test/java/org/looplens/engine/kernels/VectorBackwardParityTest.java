package org.looplens.engine.kernels;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.looplens.engine.kernels.TestArrays.PAD;
import static org.looplens.engine.kernels.TestArrays.assertNear;
import static org.looplens.engine.kernels.TestArrays.assertPadUntouched;
import static org.looplens.engine.kernels.TestArrays.output;
import static org.looplens.engine.kernels.TestArrays.random;

import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The backward operations of VectorKernels against the double-precision reference, on odd shapes,
 * vector tails and offset slices. Each tolerance is 1e-5 of a bound on the terms that made the
 * expected value, as in {@link VectorKernelsParityTest}.
 */
class VectorBackwardParityTest {
    private static final ScalarKernels REF = new ScalarKernels();
    private static final VectorKernels SERIAL = new VectorKernels(1);
    /** Two workers and no size threshold: every call goes through the pool in small pieces. */
    private static final VectorKernels FORCED_PARALLEL = new VectorKernels(2, 0);

    private static final int[] ROWS_N = {1, 2, 5, 31, 64};
    private static final int[] COLS = {1, 3, 17, 64, 100};

    /** A backend under test; a record rather than the kernels themselves, which JUnit would close. */
    record Backend(String label, VectorKernels kernels) {
        @Override
        public String toString() {
            return label;
        }
    }

    static Stream<Backend> backends() {
        return Stream.of(new Backend("1 thread", SERIAL), new Backend("2 threads, forced parallel", FORCED_PARALLEL));
    }

    @AfterAll
    static void closePools() {
        SERIAL.close();
        FORCED_PARALLEL.close();
    }

    // ---- matmul ----

    @ParameterizedTest
    @MethodSource("backends")
    void matmulMatchesReferenceOnOddShapes(Backend backend) {
        Random rnd = new Random(31);
        for (int n : ROWS_N) {
            for (int k : COLS) {
                for (int m : COLS) {
                    checkMatmul(backend.kernels(), rnd, n, k, m, false);
                    checkMatmul(backend.kernels(), rnd, n, k, m, true);
                }
            }
        }
    }

    @ParameterizedTest
    @MethodSource("backends")
    void matmulMatchesReferenceAcrossBlocksAndTiles(Backend backend) {
        Random rnd = new Random(32);
        for (boolean accumulate : new boolean[] {false, true}) {
            checkMatmul(backend.kernels(), rnd, 70, 300, 130, accumulate);  // depth blocks, row tiles, odd edges
            checkMatmul(backend.kernels(), rnd, 131, 129, 419, accumulate); // several column tiles
            checkMatmul(backend.kernels(), rnd, 3, 0, 5, accumulate);       // empty depth
        }
    }

    private static void checkMatmul(VectorKernels vk, Random rnd, int n, int k, int m, boolean accumulate) {
        float[] a = random(rnd, n * k, 1f);
        float[] b = random(rnd, k * m, 1f);
        float[] aCopy = a.clone();
        float[] bCopy = b.clone();
        float[] expected = output(n * m);
        if (accumulate) {
            for (int i = 0; i < n * m; i++) {
                expected[PAD + i] = rnd.nextFloat() * 2 - 1;
            }
        }
        float[] initial = expected.clone();
        float[] actual = expected.clone();
        REF.matmul(a, PAD, n, k, b, PAD, m, expected, PAD, accumulate);
        vk.matmul(a, PAD, n, k, b, PAD, m, actual, PAD, accumulate);
        String where = "matmul n=" + n + " k=" + k + " m=" + m + " accumulate=" + accumulate;
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < m; j++) {
                int o = PAD + i * m + j;
                double magnitude = accumulate ? Math.abs(initial[o]) : 0;
                for (int p = 0; p < k; p++) {
                    magnitude += Math.abs((double) a[PAD + i * k + p] * b[PAD + p * m + j]);
                }
                assertNear(expected[o], actual[o], magnitude, where + " out[" + i + "][" + j + "]");
            }
        }
        assertPadUntouched(actual, n * m, where);
        assertArrayEquals(aCopy, a, where + " changed a");
        assertArrayEquals(bCopy, b, where + " changed b");
    }

    // ---- matmulTransposedAAccumulate ----

    @ParameterizedTest
    @MethodSource("backends")
    void weightGradientMatchesReferenceOnOddShapes(Backend backend) {
        Random rnd = new Random(33);
        for (int rows : ROWS_N) {
            for (int m : COLS) {
                for (int k : COLS) {
                    checkWeightGradient(backend.kernels(), rnd, rows, m, k);
                }
            }
        }
    }

    @ParameterizedTest
    @MethodSource("backends")
    void weightGradientMatchesReferenceAcrossBlocksAndTiles(Backend backend) {
        Random rnd = new Random(34);
        checkWeightGradient(backend.kernels(), rnd, 300, 70, 130);  // several depth blocks
        checkWeightGradient(backend.kernels(), rnd, 129, 131, 419); // several column tiles
        checkWeightGradient(backend.kernels(), rnd, 0, 5, 3);       // no rows: out unchanged
    }

    private static void checkWeightGradient(VectorKernels vk, Random rnd, int rows, int m, int k) {
        float[] a = random(rnd, rows * m, 1f);
        float[] b = random(rnd, rows * k, 1f);
        float[] aCopy = a.clone();
        float[] bCopy = b.clone();
        float[] expected = output(m * k);
        for (int i = 0; i < m * k; i++) {
            expected[PAD + i] = rnd.nextFloat() * 2 - 1;
        }
        float[] initial = expected.clone();
        float[] actual = expected.clone();
        REF.matmulTransposedAAccumulate(a, PAD, rows, m, b, PAD, k, expected, PAD);
        vk.matmulTransposedAAccumulate(a, PAD, rows, m, b, PAD, k, actual, PAD);
        String where = "matmulTransposedAAccumulate rows=" + rows + " m=" + m + " k=" + k;
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < k; j++) {
                int o = PAD + i * k + j;
                double magnitude = Math.abs(initial[o]);
                for (int r = 0; r < rows; r++) {
                    magnitude += Math.abs((double) a[PAD + r * m + i] * b[PAD + r * k + j]);
                }
                assertNear(expected[o], actual[o], magnitude, where + " out[" + i + "][" + j + "]");
            }
        }
        assertPadUntouched(actual, m * k, where);
        assertArrayEquals(aCopy, a, where + " changed a");
        assertArrayEquals(bCopy, b, where + " changed b");
    }

    // ---- RMSNorm ----

    @ParameterizedTest
    @MethodSource("backends")
    void rmsNormBackwardMatchesReference(Backend backend) {
        VectorKernels vk = backend.kernels();
        Random rnd = new Random(35);
        for (int d : new int[] {1, 3, 7, 16, 17, 64, 100, 257}) {
            for (int rows : new int[] {1, 3, 5, 37}) {
                float[] x = random(rnd, rows * d, 2f);
                float[] dy = random(rnd, rows * d, 1f);
                float[] weight = new float[d];
                for (int c = 0; c < d; c++) {
                    weight[c] = 0.5f + rnd.nextFloat();
                }
                float eps = 1e-6f;
                float[] dxExpected = random(rnd, rows * d, 0.5f);
                float[] dxInitial = dxExpected.clone();
                float[] dxActual = dxExpected.clone();
                float[] dwExpected = new float[d];
                for (int c = 0; c < d; c++) {
                    dwExpected[c] = rnd.nextFloat() - 0.5f;
                }
                float[] dwInitial = dwExpected.clone();
                float[] dwActual = dwExpected.clone();
                REF.rmsNormBackward(x, PAD, rows, d, weight, eps, dy, PAD, dxExpected, PAD, dwExpected);
                vk.rmsNormBackward(x, PAD, rows, d, weight, eps, dy, PAD, dxActual, PAD, dwActual);
                String where = "rmsNormBackward rows=" + rows + " d=" + d;

                double[] dwMagnitude = new double[d];
                for (int c = 0; c < d; c++) {
                    dwMagnitude[c] = Math.abs(dwInitial[c]);
                }
                for (int r = 0; r < rows; r++) {
                    int row = PAD + r * d;
                    double squares = 0;
                    double absDot = 0;
                    for (int c = 0; c < d; c++) {
                        squares += (double) x[row + c] * x[row + c];
                        absDot += Math.abs((double) weight[c] * dy[row + c] * x[row + c]);
                    }
                    double inv = 1 / Math.sqrt(squares / d + eps);
                    for (int c = 0; c < d; c++) {
                        double magnitude = Math.abs(dxInitial[row + c]) + inv * Math.abs(weight[c] * dy[row + c])
                                + Math.abs(x[row + c]) * inv * inv * inv * absDot / d;
                        assertNear(dxExpected[row + c], dxActual[row + c], magnitude,
                                where + " dx[" + r + "][" + c + "]");
                        dwMagnitude[c] += Math.abs((double) dy[row + c] * x[row + c]) * inv;
                    }
                }
                for (int c = 0; c < d; c++) {
                    assertNear(dwExpected[c], dwActual[c], dwMagnitude[c], where + " dWeight[" + c + "]");
                }
                for (int i = 0; i < PAD; i++) {
                    assertEquals(dxInitial[i], dxActual[i], where + " wrote dx before the rows");
                    assertEquals(dxInitial[dxInitial.length - 1 - i], dxActual[dxActual.length - 1 - i],
                            where + " wrote dx after the rows");
                }
            }
        }
    }

    // ---- RoPE ----

    @ParameterizedTest
    @MethodSource("backends")
    void ropeBackwardMatchesReference(Backend backend) {
        VectorKernels vk = backend.kernels();
        Random rnd = new Random(36);
        int maxPosition = 50;
        for (int headDim : new int[] {2, 6, 16, 34, 64, 130}) {
            float[][] tables = VectorKernelsParityTest.ropeTables(maxPosition, headDim, 10000.0);
            for (int heads : new int[] {1, 3}) {
                for (int rows : new int[] {1, 4, 31}) {
                    int[] positions = new int[rows + 2];
                    for (int r = 0; r < positions.length; r++) {
                        positions[r] = rnd.nextInt(maxPosition);
                    }
                    int len = rows * heads * headDim;
                    float[] g = random(rnd, len, 1f);
                    float[] expected = g.clone();
                    float[] actual = g.clone();
                    REF.ropeBackward(expected, PAD, rows, heads, headDim, positions, 2, tables[0], tables[1]);
                    vk.ropeBackward(actual, PAD, rows, heads, headDim, positions, 2, tables[0], tables[1]);
                    String where = "ropeBackward heads=" + heads + " headDim=" + headDim + " rows=" + rows;
                    int half = headDim / 2;
                    for (int r = 0; r < rows; r++) {
                        int table = positions[2 + r] * headDim;
                        for (int h = 0; h < heads; h++) {
                            int base = PAD + (r * heads + h) * headDim;
                            for (int j = 0; j < headDim; j++) {
                                int partner = j < half ? base + j + half : base + j - half;
                                int partnerSin = j < half ? table + j + half : table + j - half;
                                double magnitude = Math.abs(g[base + j] * tables[0][table + j])
                                        + Math.abs(g[partner] * tables[1][partnerSin]);
                                assertNear(expected[base + j], actual[base + j], magnitude,
                                        where + " r=" + r + " h=" + h + " j=" + j);
                            }
                        }
                    }
                    for (int i = 0; i < g.length; i++) {
                        if (i < PAD || i >= PAD + len) {
                            assertEquals(g[i], actual[i], where + " wrote outside the rows at " + i);
                        }
                    }
                }
            }
        }
    }

    // ---- Attention ----

    /** {heads, kvHeads}. */
    private static final int[][] HEAD_LAYOUTS = {{4, 2}, {6, 1}, {4, 4}, {2, 1}};
    private static final int[] HEAD_DIMS = {1, 5, 16, 64, 80};
    private static final int[] SEQUENCE_LENGTHS = {1, 2, 5, 17, 33};

    @ParameterizedTest
    @MethodSource("backends")
    void attentionBackwardMatchesReference(Backend backend) {
        Random rnd = new Random(37);
        for (int[] layout : HEAD_LAYOUTS) {
            for (int headDim : HEAD_DIMS) {
                for (int n : SEQUENCE_LENGTHS) {
                    checkAttentionBackward(backend.kernels(), rnd, layout[0], layout[1], headDim, n);
                }
            }
        }
    }

    private static void checkAttentionBackward(VectorKernels vk, Random rnd, int heads, int kvHeads, int headDim,
                                               int n) {
        int qw = heads * headDim;
        int kw = kvHeads * headDim;
        int group = heads / kvHeads;
        float scale = (float) (1 / Math.sqrt(headDim));
        float[] q = random(rnd, n * qw, 2f);
        float[] k = random(rnd, n * kw, 2f);
        float[] v = random(rnd, n * kw, 1f);
        float[] dc = random(rnd, n * qw, 1f);
        float[] probs = output(heads * n * n);
        REF.attentionProbs(q, PAD, n, 0, k, PAD, n, heads, kvHeads, headDim, scale, probs, PAD);
        // Masked entries must not be read: poison them.
        for (int h = 0; h < heads; h++) {
            for (int i = 0; i < n; i++) {
                for (int j = i + 1; j < n; j++) {
                    probs[PAD + (h * n + i) * n + j] = Float.NaN;
                }
            }
        }
        float[][] expected = {output(n * qw), output(n * kw), output(n * kw)};
        float[][] actual = {output(n * qw), output(n * kw), output(n * kw)};
        REF.attentionBackward(q, PAD, k, PAD, v, PAD, probs, PAD, dc, PAD, n, heads, kvHeads, headDim, scale,
                expected[0], PAD, expected[1], PAD, expected[2], PAD);
        vk.attentionBackward(q, PAD, k, PAD, v, PAD, probs, PAD, dc, PAD, n, heads, kvHeads, headDim, scale,
                actual[0], PAD, actual[1], PAD, actual[2], PAD);
        String where = "attentionBackward heads=" + heads + "/" + kvHeads + " headDim=" + headDim + " n=" + n;

        // Bounds on |dS| with every product taken in absolute value: |P|·(|dP| + Σ_l P_l·|dP_l|)·scale.
        double[] absDs = new double[heads * n * n];
        for (int h = 0; h < heads; h++) {
            int g = h / group;
            for (int i = 0; i < n; i++) {
                double[] absDp = new double[i + 1];
                double absRowDot = 0;
                for (int j = 0; j <= i; j++) {
                    for (int c = 0; c < headDim; c++) {
                        absDp[j] += Math.abs((double) dc[PAD + i * qw + h * headDim + c]
                                * v[PAD + j * kw + g * headDim + c]);
                    }
                    absRowDot += probs[PAD + (h * n + i) * n + j] * absDp[j];
                }
                for (int j = 0; j <= i; j++) {
                    absDs[(h * n + i) * n + j] = probs[PAD + (h * n + i) * n + j] * (absDp[j] + absRowDot) * scale;
                }
            }
        }
        for (int i = 0; i < n; i++) {
            for (int h = 0; h < heads; h++) {
                int g = h / group;
                for (int c = 0; c < headDim; c++) {
                    double magnitude = 0;
                    for (int j = 0; j <= i; j++) {
                        magnitude += absDs[(h * n + i) * n + j] * Math.abs(k[PAD + j * kw + g * headDim + c]);
                    }
                    int o = PAD + i * qw + h * headDim + c;
                    assertNear(expected[0][o], actual[0][o], magnitude, where + " dq[" + i + "][" + h + "][" + c + "]");
                }
            }
        }
        for (int j = 0; j < n; j++) {
            for (int g = 0; g < kvHeads; g++) {
                for (int c = 0; c < headDim; c++) {
                    double dkMagnitude = 0;
                    double dvMagnitude = 0;
                    for (int h = g * group; h < (g + 1) * group; h++) {
                        for (int i = j; i < n; i++) {
                            dkMagnitude += absDs[(h * n + i) * n + j] * Math.abs(q[PAD + i * qw + h * headDim + c]);
                            dvMagnitude += probs[PAD + (h * n + i) * n + j]
                                    * Math.abs(dc[PAD + i * qw + h * headDim + c]);
                        }
                    }
                    int o = PAD + j * kw + g * headDim + c;
                    assertNear(expected[1][o], actual[1][o], dkMagnitude, where + " dk[" + j + "][" + g + "][" + c + "]");
                    assertNear(expected[2][o], actual[2][o], dvMagnitude, where + " dv[" + j + "][" + g + "][" + c + "]");
                }
            }
        }
        assertPadUntouched(actual[0], n * qw, where + " dq");
        assertPadUntouched(actual[1], n * kw, where + " dk");
        assertPadUntouched(actual[2], n * kw, where + " dv");
    }

    // ---- SwiGLU ----

    @ParameterizedTest
    @MethodSource("backends")
    void swigluBackwardMatchesReference(Backend backend) {
        VectorKernels vk = backend.kernels();
        Random rnd = new Random(38);
        float[] specials = {0f, -0f, 1e-30f, -1e-30f, 20f, -20f, 87.5f, -87.5f, 88.5f, -88.5f, 100f, -100f,
            1000f, -1000f, 1e30f, -1e30f, 1e38f, -1e38f};
        for (int n : new int[] {1, 3, 7, 8, 15, 16, 17, 33, 64, 100, 257, 9000}) {
            float[] gate = random(rnd, n, 12f);
            float[] up = random(rnd, n, 2f);
            float[] dOut = random(rnd, n, 1f);
            for (int i = 0; i < Math.min(n, specials.length); i++) {
                gate[PAD + i * (n / Math.min(n, specials.length))] = specials[i];
            }
            float[] dGateExpected = output(n);
            float[] dUpExpected = output(n);
            float[] dGateActual = output(n);
            float[] dUpActual = output(n);
            REF.swigluBackward(gate, PAD, up, PAD, dOut, PAD, dGateExpected, PAD, dUpExpected, PAD, n);
            vk.swigluBackward(gate, PAD, up, PAD, dOut, PAD, dGateActual, PAD, dUpActual, PAD, n);
            String where = "swigluBackward n=" + n;
            for (int i = PAD; i < PAD + n; i++) {
                double z = gate[i];
                String cell = where + " at " + (i - PAD) + " gate=" + z;
                assertTrue(Float.isFinite(dGateActual[i]) && Float.isFinite(dUpActual[i]), cell + " not finite");
                double sig = 1 / (1 + Math.exp(-z));
                double g = dOut[i];
                // sig + |z|·sig·(1 − sig) bounds the two terms of silu'; the floor covers gates so negative
                // that silu and silu' underflow on both sides.
                double gateMagnitude = Math.max(Math.abs(g * up[i]) * (sig + Math.abs(z) * sig * (1 - sig)),
                        1e-6 * Math.abs(g * up[i]));
                double upMagnitude = Math.max(Math.abs(g * z * sig), 1e-6 * Math.abs(g));
                assertNear(dGateExpected[i], dGateActual[i], gateMagnitude, cell + " dGate");
                assertNear(dUpExpected[i], dUpActual[i], upMagnitude, cell + " dUp");
            }
            assertPadUntouched(dGateActual, n, where + " dGate");
            assertPadUntouched(dUpActual, n, where + " dUp");
        }
    }
}
