package org.looplens.engine.kernels;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.looplens.engine.kernels.TestArrays.PAD;
import static org.looplens.engine.kernels.TestArrays.assertBitEqual;
import static org.looplens.engine.kernels.TestArrays.assertNear;
import static org.looplens.engine.kernels.TestArrays.assertPadUntouched;
import static org.looplens.engine.kernels.TestArrays.output;
import static org.looplens.engine.kernels.TestArrays.random;

import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** VectorKernels against the double-precision ScalarKernels, on odd shapes and offset slices. */
class VectorKernelsParityTest {
    private static final ScalarKernels REF = new ScalarKernels();
    private static final VectorKernels SERIAL = new VectorKernels(1);
    /** Two workers and no size threshold: every call goes through the pool in small pieces. */
    private static final VectorKernels FORCED_PARALLEL = new VectorKernels(2, 0);

    private static final int[] LENGTHS = {1, 3, 7, 8, 15, 16, 17, 33, 64, 100, 257};
    private static final int[] ROWS_N = {1, 2, 5, 31};
    private static final int[] COLS_M = {1, 3, 17, 64};

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

    @ParameterizedTest
    @MethodSource("backends")
    void matmulMatchesReferenceOnOddShapes(Backend backend) {
        VectorKernels vk = backend.kernels();
        Random rnd = new Random(1);
        for (int k : LENGTHS) {
            for (int n : ROWS_N) {
                for (int m : COLS_M) {
                    checkMatmul(vk, rnd, n, k, m);
                }
            }
        }
    }

    @ParameterizedTest
    @MethodSource("backends")
    void matmulMatchesReferenceAcrossTiles(Backend backend) {
        VectorKernels vk = backend.kernels();
        Random rnd = new Random(2);
        checkMatmul(vk, rnd, 70, 300, 130);   // several row and column tiles, odd edges
        checkMatmul(vk, rnd, 1, 2048, 301);   // decoding matvec
        checkMatmul(vk, rnd, 3, 1, 1000);     // k = 1: tiles capped in width
    }

    private static void checkMatmul(VectorKernels vk, Random rnd, int n, int k, int m) {
        float[] x = random(rnd, n * k, 1f);
        float[] w = random(rnd, m * k, 1f);
        float[] xCopy = x.clone();
        float[] wCopy = w.clone();
        float[] expected = output(n * m);
        float[] actual = output(n * m);
        REF.matmulTransposed(x, PAD, n, k, w, PAD, m, expected, PAD);
        vk.matmulTransposed(x, PAD, n, k, w, PAD, m, actual, PAD);
        String where = "matmul n=" + n + " k=" + k + " m=" + m;
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < m; j++) {
                double magnitude = 0;
                for (int p = 0; p < k; p++) {
                    magnitude += Math.abs((double) x[PAD + i * k + p] * w[PAD + j * k + p]);
                }
                int o = PAD + i * m + j;
                assertNear(expected[o], actual[o], magnitude, where + " out[" + i + "][" + j + "]");
            }
        }
        assertPadUntouched(actual, n * m, where);
        assertArrayEquals(xCopy, x, where + " changed x");
        assertArrayEquals(wCopy, w, where + " changed w");
    }

    @ParameterizedTest
    @MethodSource("backends")
    void rmsNormMatchesReference(Backend backend) {
        VectorKernels vk = backend.kernels();
        Random rnd = new Random(3);
        for (int d : LENGTHS) {
            for (int rows : new int[] {1, 3, 5}) {
                float[] x = random(rnd, rows * d, 2f);
                float[] weight = new float[d];
                for (int c = 0; c < d; c++) {
                    weight[c] = 0.5f + rnd.nextFloat();
                }
                float[] expected = output(rows * d);
                float[] actual = output(rows * d);
                REF.rmsNorm(x, PAD, rows, d, weight, 1e-6f, expected, PAD);
                vk.rmsNorm(x, PAD, rows, d, weight, 1e-6f, actual, PAD);
                String where = "rmsNorm rows=" + rows + " d=" + d;
                assertAllNear(expected, actual, rows * d, where);
                assertPadUntouched(actual, rows * d, where);

                // In place: out is x.
                float[] inPlace = x.clone();
                vk.rmsNorm(inPlace, PAD, rows, d, weight, 1e-6f, inPlace, PAD);
                for (int i = 0; i < rows * d; i++) {
                    assertEquals(actual[PAD + i], inPlace[PAD + i], where + " in place at " + i);
                }
                assertEquals(x[0], inPlace[0], where + " in place wrote the pad");
                assertEquals(x[x.length - 1], inPlace[x.length - 1], where + " in place wrote the pad");
            }
        }
    }

    @ParameterizedTest
    @MethodSource("backends")
    void ropeMatchesReference(Backend backend) {
        VectorKernels vk = backend.kernels();
        Random rnd = new Random(4);
        int maxPosition = 50;
        for (int headDim : new int[] {2, 6, 16, 34, 64, 130}) {
            float[][] tables = ropeTables(maxPosition, headDim, 10000.0);
            for (int heads : new int[] {1, 3}) {
                for (int rows : new int[] {1, 4}) {
                    int[] positions = new int[rows + 2];
                    for (int r = 0; r < positions.length; r++) {
                        positions[r] = rnd.nextInt(maxPosition);
                    }
                    int len = rows * heads * headDim;
                    float[] x = random(rnd, len, 1f);
                    float[] expected = x.clone();
                    float[] actual = x.clone();
                    REF.rope(expected, PAD, rows, heads, headDim, positions, 2, tables[0], tables[1]);
                    vk.rope(actual, PAD, rows, heads, headDim, positions, 2, tables[0], tables[1]);
                    String where = "rope heads=" + heads + " headDim=" + headDim + " rows=" + rows;
                    int half = headDim / 2;
                    for (int r = 0; r < rows; r++) {
                        int table = positions[2 + r] * headDim;
                        for (int h = 0; h < heads; h++) {
                            int base = PAD + (r * heads + h) * headDim;
                            for (int j = 0; j < headDim; j++) {
                                // Both terms of x*cos +- partner*sin: they can cancel, so the bound is their sum.
                                int partner = j < half ? base + j + half : base + j - half;
                                double magnitude = Math.abs(x[base + j] * tables[0][table + j])
                                        + Math.abs(x[partner] * tables[1][table + j]);
                                assertNear(expected[base + j], actual[base + j], magnitude,
                                        where + " r=" + r + " h=" + h + " j=" + j);
                            }
                        }
                    }
                    for (int i = 0; i < x.length; i++) {
                        if (i < PAD || i >= PAD + len) {
                            assertEquals(x[i], actual[i], where + " wrote outside the rows at " + i);
                        }
                    }
                }
            }
        }
    }

    /** Hugging Face rotary tables: cos/sin of position * inv_freq, the half-table repeated. */
    static float[][] ropeTables(int maxPosition, int headDim, double theta) {
        int half = headDim / 2;
        float[] cos = new float[maxPosition * headDim];
        float[] sin = new float[maxPosition * headDim];
        for (int p = 0; p < maxPosition; p++) {
            for (int j = 0; j < headDim; j++) {
                double angle = p * Math.pow(theta, -2.0 * (j % half) / headDim);
                cos[p * headDim + j] = (float) Math.cos(angle);
                sin[p * headDim + j] = (float) Math.sin(angle);
            }
        }
        return new float[][] {cos, sin};
    }

    /** {heads, kvHeads}. */
    private static final int[][] HEAD_LAYOUTS = {{4, 2}, {4, 4}, {6, 1}, {2, 1}};
    private static final int[] HEAD_DIMS = {1, 5, 16, 64, 80};
    /** {nq, qStart, nk}: prefill, decoding one token, chunks after a cache, and spare key rows. */
    private static final int[][] ATTENTION_SHAPES = {
        {5, 0, 5}, {1, 9, 10}, {1, 0, 1}, {3, 4, 7}, {2, 3, 7}, {17, 0, 17}, {20, 13, 33}
    };

    @ParameterizedTest
    @MethodSource("backends")
    void attentionProbsMatchReference(Backend backend) {
        VectorKernels vk = backend.kernels();
        Random rnd = new Random(5);
        for (int[] layout : HEAD_LAYOUTS) {
            for (int headDim : HEAD_DIMS) {
                for (int[] shape : ATTENTION_SHAPES) {
                    checkAttentionProbs(vk, rnd, layout[0], layout[1], headDim, shape[0], shape[1], shape[2]);
                }
            }
        }
    }

    private static void checkAttentionProbs(VectorKernels vk, Random rnd, int heads, int kvHeads, int headDim,
                                            int nq, int qStart, int nk) {
        float[] q = random(rnd, nq * heads * headDim, 3f);
        float[] k = random(rnd, nk * kvHeads * headDim, 3f);
        float scale = (float) (1 / Math.sqrt(headDim));
        int len = heads * nq * nk;
        float[] expected = output(len);
        float[] actual = output(len);
        REF.attentionProbs(q, PAD, nq, qStart, k, PAD, nk, heads, kvHeads, headDim, scale, expected, PAD);
        vk.attentionProbs(q, PAD, nq, qStart, k, PAD, nk, heads, kvHeads, headDim, scale, actual, PAD);
        String where = "attentionProbs heads=" + heads + "/" + kvHeads + " headDim=" + headDim
                + " nq=" + nq + " qStart=" + qStart + " nk=" + nk;
        for (int h = 0; h < heads; h++) {
            for (int i = 0; i < nq; i++) {
                int row = PAD + (h * nq + i) * nk;
                double sum = 0;
                for (int j = 0; j < nk; j++) {
                    String cell = where + " p[" + h + "][" + i + "][" + j + "]";
                    if (j > qStart + i) {
                        assertEquals(0f, expected[row + j], cell + " (reference) masked");
                        assertEquals(0f, actual[row + j], cell + " masked");
                    } else {
                        assertNear(expected[row + j], actual[row + j], Math.max(expected[row + j], 1e-6), cell);
                    }
                    sum += actual[row + j];
                }
                assertNear(1.0, (float) sum, 1.0, where + " row sum h=" + h + " i=" + i);
            }
        }
        assertPadUntouched(actual, len, where);
    }

    @ParameterizedTest
    @MethodSource("backends")
    void attentionContextMatchesReference(Backend backend) {
        VectorKernels vk = backend.kernels();
        Random rnd = new Random(6);
        for (int[] layout : HEAD_LAYOUTS) {
            for (int headDim : HEAD_DIMS) {
                for (int[] shape : ATTENTION_SHAPES) {
                    checkAttentionContext(vk, rnd, layout[0], layout[1], headDim, shape[0], shape[1], shape[2]);
                }
            }
        }
    }

    private static void checkAttentionContext(VectorKernels vk, Random rnd, int heads, int kvHeads, int headDim,
                                              int nq, int qStart, int nk) {
        float[] q = random(rnd, nq * heads * headDim, 3f);
        float[] k = random(rnd, nk * kvHeads * headDim, 3f);
        float[] v = random(rnd, nk * kvHeads * headDim, 2f);
        float[] probs = output(heads * nq * nk);
        REF.attentionProbs(q, PAD, nq, qStart, k, PAD, nk, heads, kvHeads, headDim, 0.5f, probs, PAD);
        // Masked entries must not be read: poison them.
        for (int h = 0; h < heads; h++) {
            for (int i = 0; i < nq; i++) {
                for (int j = qStart + i + 1; j < nk; j++) {
                    probs[PAD + (h * nq + i) * nk + j] = Float.NaN;
                }
            }
        }
        int len = nq * heads * headDim;
        float[] expected = output(len);
        float[] actual = output(len);
        REF.attentionContext(probs, PAD, nq, qStart, v, PAD, nk, heads, kvHeads, headDim, expected, PAD);
        vk.attentionContext(probs, PAD, nq, qStart, v, PAD, nk, heads, kvHeads, headDim, actual, PAD);
        String where = "attentionContext heads=" + heads + "/" + kvHeads + " headDim=" + headDim
                + " nq=" + nq + " qStart=" + qStart + " nk=" + nk;
        int group = heads / kvHeads;
        for (int i = 0; i < nq; i++) {
            for (int h = 0; h < heads; h++) {
                for (int c = 0; c < headDim; c++) {
                    double magnitude = 0;
                    for (int j = 0; j <= qStart + i; j++) {
                        magnitude += Math.abs((double) probs[PAD + (h * nq + i) * nk + j]
                                * v[PAD + (j * kvHeads + h / group) * headDim + c]);
                    }
                    int o = PAD + (i * heads + h) * headDim + c;
                    assertNear(expected[o], actual[o], magnitude, where + " out[" + i + "][" + h + "][" + c + "]");
                }
            }
        }
        assertPadUntouched(actual, len, where);
    }

    @ParameterizedTest
    @MethodSource("backends")
    void swigluMatchesReference(Backend backend) {
        VectorKernels vk = backend.kernels();
        Random rnd = new Random(7);
        for (int n : new int[] {1, 3, 7, 8, 15, 16, 17, 33, 64, 100, 257, 9000}) {
            float[] gate = random(rnd, n, 12f);
            float[] up = random(rnd, n, 2f);
            float[] specials = {0f, -0f, 100f, -100f, 88.5f, -88.5f, 1000f, -1000f, 1e38f, -1e38f};
            for (int i = 0; i < Math.min(n, specials.length); i++) {
                gate[PAD + i * (n / Math.min(n, specials.length))] = specials[i];
            }
            float[] expected = output(n);
            float[] actual = output(n);
            REF.swiglu(gate, PAD, up, PAD, expected, PAD, n);
            vk.swiglu(gate, PAD, up, PAD, actual, PAD, n);
            String where = "swiglu n=" + n;
            for (int i = 0; i < n; i++) {
                // The floor covers very negative gates, where silu underflows to about 0 on both sides.
                double magnitude = Math.max(Math.abs(expected[PAD + i]), 1e-6 * Math.abs(up[PAD + i]));
                assertNear(expected[PAD + i], actual[PAD + i], magnitude, where + " at " + i + " gate=" + gate[PAD + i]);
            }
            assertPadUntouched(actual, n, where);
        }
    }

    @ParameterizedTest
    @MethodSource("backends")
    void addInPlaceIsExact(Backend backend) {
        VectorKernels vk = backend.kernels();
        Random rnd = new Random(8);
        for (int n : new int[] {1, 3, 7, 8, 15, 16, 17, 33, 64, 100, 257, 9000}) {
            float[] acc = random(rnd, n, 5f);
            float[] x = random(rnd, n + 3, 5f);
            float[] expected = acc.clone();
            float[] actual = acc.clone();
            REF.addInPlace(expected, PAD, x, PAD + 3, n);
            vk.addInPlace(actual, PAD, x, PAD + 3, n);
            assertBitEqual(expected, actual, "addInPlace n=" + n);
        }
    }

    private static void assertAllNear(float[] expected, float[] actual, int len, String where) {
        for (int i = PAD; i < PAD + len; i++) {
            assertNear(expected[i], actual[i], Math.max(Math.abs(expected[i]), 1e-6), where + " at " + (i - PAD));
        }
    }
}
