package org.looplens.engine.kernels;

import static org.looplens.engine.kernels.TestArrays.PAD;
import static org.looplens.engine.kernels.TestArrays.assertBitEqual;
import static org.looplens.engine.kernels.TestArrays.output;
import static org.looplens.engine.kernels.TestArrays.random;

import java.util.List;
import java.util.Random;
import java.util.function.Function;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/** The thread count must never change a single bit of a backward operation's output. */
class VectorBackwardDeterminismTest {
    private static final VectorKernels ONE = new VectorKernels(1);
    private static final VectorKernels TWO = new VectorKernels(2);
    private static final VectorKernels TWO_FORCED = new VectorKernels(2, 0);
    private static final VectorKernels THREE_FORCED = new VectorKernels(3, 0);
    private static final VectorKernels FIVE_FORCED = new VectorKernels(5, 0);

    @AfterAll
    static void closePools() {
        List.of(ONE, TWO, TWO_FORCED, THREE_FORCED, FIVE_FORCED).forEach(VectorKernels::close);
    }

    /** Runs op on every backend and checks that all outputs equal the single-threaded one. */
    private static void assertSameOnAllThreadCounts(String what, Function<VectorKernels, float[]> op) {
        float[] expected = op.apply(ONE);
        for (VectorKernels vk : List.of(TWO, TWO_FORCED, THREE_FORCED, FIVE_FORCED)) {
            assertBitEqual(expected, op.apply(vk), what + " with " + vk.threads() + " threads");
        }
    }

    @Test
    void matmul() {
        Random rnd = new Random(51);
        for (int[] s : new int[][] {{130, 300, 200}, {3, 257, 701}, {5, 17, 3}, {129, 64, 9}}) {
            int n = s[0];
            int k = s[1];
            int m = s[2];
            float[] a = random(rnd, n * k, 1f);
            float[] b = random(rnd, k * m, 1f);
            float[] initial = random(rnd, n * m, 1f);
            for (boolean accumulate : new boolean[] {false, true}) {
                assertSameOnAllThreadCounts("matmul " + n + "x" + k + "x" + m + " accumulate=" + accumulate, vk -> {
                    float[] out = accumulate ? initial.clone() : output(n * m);
                    vk.matmul(a, PAD, n, k, b, PAD, m, out, PAD, accumulate);
                    return out;
                });
            }
        }
    }

    @Test
    void weightGradient() {
        Random rnd = new Random(52);
        for (int[] s : new int[][] {{300, 130, 200}, {257, 3, 701}, {5, 17, 3}, {64, 129, 9}}) {
            int rows = s[0];
            int m = s[1];
            int k = s[2];
            float[] a = random(rnd, rows * m, 1f);
            float[] b = random(rnd, rows * k, 1f);
            float[] initial = random(rnd, m * k, 1f);
            assertSameOnAllThreadCounts("matmulTransposedAAccumulate " + rows + "x" + m + "x" + k, vk -> {
                float[] out = initial.clone();
                vk.matmulTransposedAAccumulate(a, PAD, rows, m, b, PAD, k, out, PAD);
                return out;
            });
        }
    }

    @Test
    void rowKernels() {
        Random rnd = new Random(53);
        int rows = 37;
        int heads = 6;
        int headDim = 66;
        int d = heads * headDim;
        float[] x = random(rnd, rows * d, 2f);
        float[] dy = random(rnd, rows * d, 1f);
        float[] weight = random(rnd, d, 1f);
        float[] dxInitial = random(rnd, rows * d, 1f);
        float[] dwInitial = random(rnd, d, 1f);
        assertSameOnAllThreadCounts("rmsNormBackward", vk -> {
            float[] dx = dxInitial.clone();
            float[] dw = dwInitial.clone();
            vk.rmsNormBackward(x, PAD, rows, d, weight, 1e-6f, dy, PAD, dx, PAD, dw);
            float[] both = new float[dx.length + dw.length];
            System.arraycopy(dx, 0, both, 0, dx.length);
            System.arraycopy(dw, 0, both, dx.length, dw.length);
            return both;
        });
        float[][] tables = VectorKernelsParityTest.ropeTables(64, headDim, 1e6);
        int[] positions = new int[rows];
        for (int r = 0; r < rows; r++) {
            positions[r] = rnd.nextInt(64);
        }
        assertSameOnAllThreadCounts("ropeBackward", vk -> {
            float[] g = dy.clone();
            vk.ropeBackward(g, PAD, rows, heads, headDim, positions, 0, tables[0], tables[1]);
            return g;
        });
    }

    @Test
    void attention() {
        Random rnd = new Random(54);
        for (int[] layout : new int[][] {{6, 2}, {4, 1}, {3, 3}}) {
            int heads = layout[0];
            int kvHeads = layout[1];
            int headDim = 40;
            int n = 49;
            int qw = heads * headDim;
            int kw = kvHeads * headDim;
            float[] q = random(rnd, n * qw, 3f);
            float[] k = random(rnd, n * kw, 3f);
            float[] v = random(rnd, n * kw, 1f);
            float[] dc = random(rnd, n * qw, 1f);
            float[] probs = output(heads * n * n);
            ONE.attentionProbs(q, PAD, n, 0, k, PAD, n, heads, kvHeads, headDim, 0.15f, probs, PAD);
            assertSameOnAllThreadCounts("attentionBackward " + heads + "/" + kvHeads, vk -> {
                float[] dq = output(n * qw);
                float[] dk = output(n * kw);
                float[] dv = output(n * kw);
                vk.attentionBackward(q, PAD, k, PAD, v, PAD, probs, PAD, dc, PAD, n, heads, kvHeads, headDim, 0.15f,
                        dq, PAD, dk, PAD, dv, PAD);
                float[] all = new float[dq.length + dk.length + dv.length];
                System.arraycopy(dq, 0, all, 0, dq.length);
                System.arraycopy(dk, 0, all, dq.length, dk.length);
                System.arraycopy(dv, 0, all, dq.length + dk.length, dv.length);
                return all;
            });
        }
    }

    /**
     * Which path (register panel, single vector, scalar tail) computes an element depends on its
     * position; the result must not. Each column of a product equals the product with that column
     * alone (all scalar), and each SwiGLU gradient equals the one computed element by element.
     */
    @Test
    void vectorAndScalarPathsAgreeBitForBit() {
        Random rnd = new Random(57);
        int n = 9;
        int k = 300;
        int m = 3 * VectorMath.LANES + VectorMath.LANES + 3;
        float[] a = random(rnd, n * k, 1f);
        float[] b = random(rnd, k * m, 1f);
        float[] initial = random(rnd, n * m, 1f);
        for (boolean accumulate : new boolean[] {false, true}) {
            float[] full = initial.clone();
            ONE.matmul(a, PAD, n, k, b, PAD, m, full, PAD, accumulate);
            for (int j = 0; j < m; j++) {
                float[] column = new float[k];
                for (int p = 0; p < k; p++) {
                    column[p] = b[PAD + p * m + j];
                }
                float[] single = new float[n];
                for (int i = 0; i < n; i++) {
                    single[i] = initial[PAD + i * m + j];
                }
                ONE.matmul(a, PAD, n, k, column, 0, 1, single, 0, accumulate);
                for (int i = 0; i < n; i++) {
                    assertBitEqual(new float[] {full[PAD + i * m + j]}, new float[] {single[i]},
                            "matmul accumulate=" + accumulate + " out[" + i + "][" + j + "]");
                }
            }
        }

        int len = 4 * VectorMath.LANES + 3;
        float[] gate = random(rnd, len, 30f);
        float[] up = random(rnd, len, 1f);
        float[] dOut = random(rnd, len, 1f);
        gate[PAD] = 1e30f;
        gate[PAD + 1] = -1e30f;
        gate[PAD + 2] = 0f;
        float[] dGate = new float[len];
        float[] dUp = new float[len];
        ONE.swigluBackward(gate, PAD, up, PAD, dOut, PAD, dGate, 0, dUp, 0, len);
        for (int i = 0; i < len; i++) {
            float[] oneGate = new float[1];
            float[] oneUp = new float[1];
            ONE.swigluBackward(gate, PAD + i, up, PAD + i, dOut, PAD + i, oneGate, 0, oneUp, 0, 1);
            assertBitEqual(new float[] {dGate[i], dUp[i]}, new float[] {oneGate[0], oneUp[0]},
                    "swigluBackward at " + i + " gate=" + gate[PAD + i]);
        }
    }

    /** The scratch behind rmsNormBackward and attentionBackward belongs to the calling thread. */
    @Test
    void concurrentCallersOfOneInstanceDoNotShareScratch() throws Exception {
        Random rnd = new Random(56);
        int heads = 4;
        int kvHeads = 2;
        int headDim = 16;
        int[] lengths = {33, 20};
        float[][] expected = new float[2][];
        float[][][] inputs = new float[2][][];
        for (int c = 0; c < 2; c++) {
            int n = lengths[c];
            float[] q = random(rnd, n * heads * headDim, 3f);
            float[] k = random(rnd, n * kvHeads * headDim, 3f);
            float[] v = random(rnd, n * kvHeads * headDim, 1f);
            float[] dc = random(rnd, n * heads * headDim, 1f);
            float[] probs = output(heads * n * n);
            ONE.attentionProbs(q, PAD, n, 0, k, PAD, n, heads, kvHeads, headDim, 0.25f, probs, PAD);
            inputs[c] = new float[][] {q, k, v, dc, probs};
            expected[c] = attentionGradients(ONE, inputs[c], n, heads, kvHeads, headDim);
        }
        for (int round = 0; round < 20; round++) {
            Thread[] callers = new Thread[2];
            float[][] actual = new float[2][];
            for (int c = 0; c < 2; c++) {
                int caller = c;
                callers[c] = new Thread(() -> actual[caller] = attentionGradients(TWO_FORCED, inputs[caller],
                        lengths[caller], heads, kvHeads, headDim));
                callers[c].start();
            }
            for (int c = 0; c < 2; c++) {
                callers[c].join();
                assertBitEqual(expected[c], actual[c], "caller " + c + " in round " + round);
            }
        }
    }

    private static float[] attentionGradients(VectorKernels vk, float[][] in, int n, int heads, int kvHeads,
                                              int headDim) {
        int qw = heads * headDim;
        int kw = kvHeads * headDim;
        float[] out = new float[n * (qw + 2 * kw)];
        vk.attentionBackward(in[0], PAD, in[1], PAD, in[2], PAD, in[4], PAD, in[3], PAD, n, heads, kvHeads, headDim,
                0.25f, out, 0, out, n * qw, out, n * (qw + kw));
        return out;
    }

    @Test
    void swiglu() {
        Random rnd = new Random(55);
        int n = 3 * 4096 + 77;
        float[] gate = random(rnd, n, 10f);
        float[] up = random(rnd, n, 1f);
        float[] dOut = random(rnd, n, 1f);
        assertSameOnAllThreadCounts("swigluBackward", vk -> {
            float[] dGate = output(n);
            float[] dUp = output(n);
            vk.swigluBackward(gate, PAD, up, PAD, dOut, PAD, dGate, PAD, dUp, PAD, n);
            float[] both = new float[2 * dGate.length];
            System.arraycopy(dGate, 0, both, 0, dGate.length);
            System.arraycopy(dUp, 0, both, dGate.length, dUp.length);
            return both;
        });
    }
}
