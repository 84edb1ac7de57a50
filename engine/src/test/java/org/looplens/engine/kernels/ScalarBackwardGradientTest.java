package org.looplens.engine.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.ToDoubleFunction;
import org.junit.jupiter.api.Test;

/**
 * The reference backward operations against finite differences of the reference forward
 * operations: for a fixed upstream gradient dy, the loss {@code L = Σ dy·f(x)} is summed in double
 * from the forward output, and every input element's {@code ∂L/∂x} from the backward operation
 * must match the central difference of L.
 *
 * <p>Inputs lie on a grid of 2^-10 and the steps are powers of two, so {@code x ± h} is exact in
 * float. The central differences at h and h/2 are Richardson-extrapolated (error O(h^4)), which
 * allows a step large enough that the float rounding of the forward outputs stays far below the
 * tolerance: {@code |fd − g| ≤ 1e-3·max(|g|, rms(g))}, relative to the gradient element or, for
 * elements much smaller than the rest, to the gradient's RMS.
 */
class ScalarBackwardGradientTest {
    private static final ScalarKernels K = new ScalarKernels();

    private static final double TOLERANCE = 1e-3;

    /** The step for smooth non-linear operations; for linear ones any step is exact up to rounding. */
    private static final double STEP = 1.0 / 32;

    /**
     * The step for q and k. The error there is dominated by the float rounding of probs and context,
     * which falls as 1/h (at h = 1/64 it reaches the tolerance on short rows), while the
     * extrapolated truncation error grows only as h^4.
     */
    private static final double ATTENTION_STEP = 1.0 / 8;

    /** len values on a grid of 2^-10 in [-scale, scale], at offset off. */
    private static float[] grid(Random rnd, int off, int len, double scale) {
        float[] a = new float[off + len + 3];
        for (int i = 0; i < a.length; i++) {
            a[i] = (float) (Math.round((rnd.nextDouble() * 2 - 1) * scale * 1024) / 1024.0);
        }
        return a;
    }

    /** Σ dy·y over len elements, in double. */
    private static double dotLoss(float[] dy, int dyOff, float[] y, int yOff, int len) {
        double s = 0;
        for (int i = 0; i < len; i++) {
            s += (double) dy[dyOff + i] * y[yOff + i];
        }
        return s;
    }

    private static double central(float[] x, int e, double h, ToDoubleFunction<float[]> loss) {
        float original = x[e];
        float plus = (float) (original + h);
        float minus = (float) (original - h);
        x[e] = plus;
        double up = loss.applyAsDouble(x);
        x[e] = minus;
        double down = loss.applyAsDouble(x);
        x[e] = original;
        return (up - down) / ((double) plus - minus);
    }

    /** Richardson extrapolation of the central differences at h and h/2. */
    private static double derivative(float[] x, int e, double h, ToDoubleFunction<float[]> loss) {
        return (4 * central(x, e, h / 2, loss) - central(x, e, h, loss)) / 3;
    }

    /**
     * Checks {@code analytic[aOff + i]} against the finite difference of loss in {@code x[xOff + i]}
     * for i &lt; len. The loss reads x, which this perturbs and restores.
     */
    private static void assertGradient(String what, float[] x, int xOff, float[] analytic, int aOff, int len,
                                       double h, ToDoubleFunction<float[]> loss) {
        double squares = 0;
        for (int i = 0; i < len; i++) {
            squares += (double) analytic[aOff + i] * analytic[aOff + i];
        }
        double rms = Math.sqrt(squares / Math.max(len, 1));
        assertTrue(rms > 0, what + ": the analytic gradient is all zero, so the check would be empty");
        for (int i = 0; i < len; i++) {
            double fd = derivative(x, xOff + i, h, loss);
            double g = analytic[aOff + i];
            double tol = TOLERANCE * Math.max(Math.abs(g), rms);
            if (!(Math.abs(fd - g) <= tol)) {
                fail(what + " at " + i + ": analytic " + g + ", finite difference " + fd + " (tolerance " + tol + ")");
            }
        }
    }

    // ---- matmulTransposed: dX = dY·W, dW = dYᵀ·X ----

    @Test
    void matmulTransposedGradients() {
        Random rnd = new Random(41);
        for (int[] s : new int[][] {{1, 1, 1}, {3, 5, 4}, {7, 17, 9}, {5, 33, 2}}) {
            int n = s[0];
            int k = s[1];
            int m = s[2];
            int xOff = 3;
            int wOff = 2;
            int dyOff = 1;
            float[] x = grid(rnd, xOff, n * k, 1);
            float[] w = grid(rnd, wOff, m * k, 1);
            float[] dy = grid(rnd, dyOff, n * m, 1);
            float[] y = new float[n * m];
            ToDoubleFunction<float[]> loss = ignored -> {
                K.matmulTransposed(x, xOff, n, k, w, wOff, m, y, 0);
                return dotLoss(dy, dyOff, y, 0, n * m);
            };
            float[] dx = new float[n * k + 4];
            K.matmul(dy, dyOff, n, m, w, wOff, k, dx, 4, false);
            float[] dw = new float[m * k + 2];
            K.matmulTransposedAAccumulate(dy, dyOff, n, m, x, xOff, k, dw, 2);
            String shape = " n=" + n + " k=" + k + " m=" + m;
            assertGradient("matmulTransposed dX" + shape, x, xOff, dx, 4, n * k, 0.5, loss);
            assertGradient("matmulTransposed dW" + shape, w, wOff, dw, 2, m * k, 0.5, loss);
        }
    }

    @Test
    void matmulAccumulatesOrOverwrites() {
        float[] a = {1, 2, 3, 4};
        float[] b = {5, 6, 7, 8};
        float[] out = {100, 100, 100, 100, 100};
        K.matmul(a, 0, 2, 2, b, 0, 2, out, 1, false);
        assertEquals(List.of(100f, 19f, 22f, 43f, 50f), boxed(out));
        K.matmul(a, 0, 2, 2, b, 0, 2, out, 1, true);
        assertEquals(List.of(100f, 38f, 44f, 86f, 100f), boxed(out));
        float[] w = {1, 1, 1, 1, 1};
        // aᵀ·b with a = [1 2; 3 4] (rows × m) and b = [5 6; 7 8] (rows × k).
        K.matmulTransposedAAccumulate(a, 0, 2, 2, b, 0, 2, w, 1);
        assertEquals(List.of(1f, 27f, 31f, 39f, 45f), boxed(w));
    }

    private static List<Float> boxed(float[] a) {
        List<Float> list = new ArrayList<>();
        for (float f : a) {
            list.add(f);
        }
        return list;
    }

    // ---- RMSNorm: x and weight ----

    @Test
    void rmsNormGradients() {
        Random rnd = new Random(42);
        for (int[] s : new int[][] {{1, 2}, {2, 3}, {3, 7}, {2, 16}, {4, 33}}) {
            int rows = s[0];
            int d = s[1];
            int xOff = 2;
            float eps = 1e-5f;
            float[] x = grid(rnd, xOff, rows * d, 2);
            float[] weight = grid(rnd, 0, d, 1);
            for (int c = 0; c < d; c++) {
                weight[c] += 1.5f;
            }
            float[] dy = grid(rnd, 1, rows * d, 1);
            float[] y = new float[rows * d];
            ToDoubleFunction<float[]> loss = ignored -> {
                K.rmsNorm(x, xOff, rows, d, weight, eps, y, 0);
                return dotLoss(dy, 1, y, 0, rows * d);
            };
            float[] dx = new float[rows * d + 3];
            float[] dWeight = new float[weight.length];
            K.rmsNormBackward(x, xOff, rows, d, weight, eps, dy, 1, dx, 3, dWeight);
            String shape = " rows=" + rows + " d=" + d;
            // The curvature of x·r grows as the row's RMS shrinks: the step is kept small next to it (about 1 here).
            assertGradient("rmsNorm dx" + shape, x, xOff, dx, 3, rows * d, STEP / 4, loss);
            assertGradient("rmsNorm dWeight" + shape, weight, 0, dWeight, 0, d, 0.5, loss);
        }
    }

    @Test
    void rmsNormBackwardAccumulates() {
        float[] x = {3, 4};
        float[] weight = {1, 2};
        float[] dy = {1, -1};
        float[] fresh = new float[2];
        float[] freshW = new float[2];
        K.rmsNormBackward(x, 0, 1, 2, weight, 0f, dy, 0, fresh, 0, freshW);
        float[] acc = {10, 20};
        float[] accW = {-1, 1};
        K.rmsNormBackward(x, 0, 1, 2, weight, 0f, dy, 0, acc, 0, accW);
        assertEquals(10 + fresh[0], acc[0], 1e-5);
        assertEquals(20 + fresh[1], acc[1], 1e-5);
        assertEquals(-1 + freshW[0], accW[0], 1e-6);
        assertEquals(1 + freshW[1], accW[1], 1e-6);
    }

    // ---- RoPE ----

    @Test
    void ropeGradient() {
        Random rnd = new Random(43);
        int maxPosition = 40;
        for (int headDim : new int[] {2, 6, 16}) {
            float[][] tables = VectorKernelsParityTest.ropeTables(maxPosition, headDim, 10000.0);
            for (int heads : new int[] {1, 3}) {
                int rows = 4;
                int width = heads * headDim;
                int[] positions = new int[rows + 1];
                for (int r = 0; r < positions.length; r++) {
                    positions[r] = rnd.nextInt(maxPosition);
                }
                float[] x = grid(rnd, 2, rows * width, 1);
                float[] dy = grid(rnd, 0, rows * width, 1);
                float[] y = new float[rows * width];
                ToDoubleFunction<float[]> loss = ignored -> {
                    System.arraycopy(x, 2, y, 0, rows * width);
                    K.rope(y, 0, rows, heads, headDim, positions, 1, tables[0], tables[1]);
                    return dotLoss(dy, 0, y, 0, rows * width);
                };
                float[] dx = dy.clone();
                K.ropeBackward(dx, 0, rows, heads, headDim, positions, 1, tables[0], tables[1]);
                assertGradient("rope dx heads=" + heads + " headDim=" + headDim, x, 2, dx, 0, rows * width, 0.5, loss);
            }
        }
    }

    // ---- Attention: q, k and v through attentionProbs and attentionContext ----

    @Test
    void attentionGradients() {
        Random rnd = new Random(44);
        for (int[] layout : new int[][] {{4, 2}, {6, 1}, {4, 4}, {1, 1}}) {
            for (int n : new int[] {1, 2, 5}) {
                for (int headDim : new int[] {1, 4}) {
                    checkAttentionGradients(rnd, layout[0], layout[1], headDim, n);
                }
            }
        }
        checkAttentionGradients(rnd, 4, 2, 6, 9);
    }

    private static void checkAttentionGradients(Random rnd, int heads, int kvHeads, int headDim, int n) {
        int qw = heads * headDim;
        int kw = kvHeads * headDim;
        float scale = (float) (1 / Math.sqrt(headDim));
        float[] q = grid(rnd, 1, n * qw, 1.5);
        float[] k = grid(rnd, 2, n * kw, 1.5);
        // v and dContext get non-zero means so that the softmax term Σ_l P_l·dP_l (= dContext·context) is
        // as large as the individual dP_j; with zero-mean data it nearly vanishes and goes unchecked.
        float[] v = shifted(grid(rnd, 3, n * kw, 1), 1);
        float[] dc = shifted(grid(rnd, 0, n * qw, 0.5), 0.5f);
        float[] probs = new float[heads * n * n + 4];
        float[] context = new float[n * qw];
        ToDoubleFunction<float[]> loss = ignored -> {
            K.attentionProbs(q, 1, n, 0, k, 2, n, heads, kvHeads, headDim, scale, probs, 4);
            K.attentionContext(probs, 4, n, 0, v, 3, n, heads, kvHeads, headDim, context, 0);
            return dotLoss(dc, 0, context, 0, n * qw);
        };
        loss.applyAsDouble(null); // probs at the unperturbed point, for the backward pass
        float[] dq = new float[n * qw + 1];
        float[] dk = new float[n * kw + 2];
        float[] dv = new float[n * kw + 3];
        K.attentionBackward(q, 1, k, 2, v, 3, probs, 4, dc, 0, n, heads, kvHeads, headDim, scale,
                dq, 1, dk, 2, dv, 3);
        String shape = " heads=" + heads + "/" + kvHeads + " headDim=" + headDim + " n=" + n;
        if (n > 1) {
            // With one position the softmax is constantly 1 and dq, dk are exactly zero.
            assertGradient("attention dq" + shape, q, 1, dq, 1, n * qw, ATTENTION_STEP, loss);
            assertGradient("attention dk" + shape, k, 2, dk, 2, n * kw, ATTENTION_STEP, loss);
        } else {
            for (float g : dq) {
                assertEquals(0f, g, 0f, "attention dq" + shape);
            }
            for (float g : dk) {
                assertEquals(0f, g, 0f, "attention dk" + shape);
            }
        }
        assertGradient("attention dv" + shape, v, 3, dv, 3, n * kw, 0.5, loss);
    }

    private static float[] shifted(float[] a, float by) {
        for (int i = 0; i < a.length; i++) {
            a[i] += by;
        }
        return a;
    }

    // ---- SwiGLU ----

    @Test
    void swigluGradients() {
        Random rnd = new Random(45);
        int n = 200;
        float[] gate = grid(rnd, 2, n, 8);
        float[] up = grid(rnd, 1, n, 2);
        float[] dOut = grid(rnd, 0, n, 1);
        float[] out = new float[n];
        ToDoubleFunction<float[]> loss = ignored -> {
            K.swiglu(gate, 2, up, 1, out, 0, n);
            return dotLoss(dOut, 0, out, 0, n);
        };
        float[] dGate = new float[n + 1];
        float[] dUp = new float[n + 2];
        K.swigluBackward(gate, 2, up, 1, dOut, 0, dGate, 1, dUp, 2, n);
        assertGradient("swiglu dGate", gate, 2, dGate, 1, n, STEP, loss);
        assertGradient("swiglu dUp", up, 1, dUp, 2, n, 0.5, loss);
    }

    @Test
    void swigluGradientIsFiniteForHugeGates() {
        float[] gate = {1e30f, -1e30f, 1e38f, -1e38f, 1000f, -1000f, 0f};
        float[] ones = {1, 1, 1, 1, 1, 1, 1};
        float[] dGate = new float[7];
        float[] dUp = new float[7];
        K.swigluBackward(gate, 0, ones, 0, ones, 0, dGate, 0, dUp, 0, 7);
        float[] expectedDGate = {1, 0, 1, 0, 1, 0, 0.5f};
        for (int i = 0; i < 7; i++) {
            assertEquals(expectedDGate[i], dGate[i], 1e-30, "silu'(" + gate[i] + ")");
            assertTrue(Float.isFinite(dUp[i]), "silu(" + gate[i] + ")");
        }
    }
}
