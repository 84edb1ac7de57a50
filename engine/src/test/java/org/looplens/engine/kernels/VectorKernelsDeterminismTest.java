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

/** The thread count must never change a single bit of any output. */
class VectorKernelsDeterminismTest {
    private static final VectorKernels ONE = new VectorKernels(1);
    private static final VectorKernels TWO = new VectorKernels(2);
    private static final VectorKernels TWO_FORCED = new VectorKernels(2, 0);
    private static final VectorKernels THREE_FORCED = new VectorKernels(3, 0);

    @AfterAll
    static void closePools() {
        List.of(ONE, TWO, TWO_FORCED, THREE_FORCED).forEach(VectorKernels::close);
    }

    /** Runs op on every backend and checks that all outputs equal the single-threaded one. */
    private static void assertSameOnAllThreadCounts(String what, Function<VectorKernels, float[]> op) {
        float[] expected = op.apply(ONE);
        for (VectorKernels vk : List.of(TWO, TWO_FORCED, THREE_FORCED)) {
            assertBitEqual(expected, op.apply(vk), what + " with " + vk.threads() + " threads");
        }
    }

    @Test
    void matmul() {
        Random rnd = new Random(21);
        for (int[] s : new int[][] {{70, 300, 130}, {1, 1000, 701}, {5, 17, 3}, {129, 64, 9}}) {
            int n = s[0];
            int k = s[1];
            int m = s[2];
            float[] x = random(rnd, n * k, 1f);
            float[] w = random(rnd, m * k, 1f);
            assertSameOnAllThreadCounts("matmul " + n + "x" + k + "x" + m, vk -> {
                float[] out = output(n * m);
                vk.matmulTransposed(x, PAD, n, k, w, PAD, m, out, PAD);
                return out;
            });
        }
    }

    @Test
    void rowKernels() {
        Random rnd = new Random(22);
        int rows = 37;
        int heads = 6;
        int headDim = 66;
        int d = heads * headDim;
        float[] x = random(rnd, rows * d, 2f);
        float[] weight = random(rnd, d, 1f);
        assertSameOnAllThreadCounts("rmsNorm", vk -> {
            float[] out = output(rows * d);
            vk.rmsNorm(x, PAD, rows, d, weight, 1e-6f, out, PAD);
            return out;
        });
        float[][] tables = VectorKernelsParityTest.ropeTables(64, headDim, 1e6);
        int[] positions = new int[rows];
        for (int r = 0; r < rows; r++) {
            positions[r] = rnd.nextInt(64);
        }
        assertSameOnAllThreadCounts("rope", vk -> {
            float[] out = x.clone();
            vk.rope(out, PAD, rows, heads, headDim, positions, 0, tables[0], tables[1]);
            return out;
        });
    }

    @Test
    void attention() {
        Random rnd = new Random(23);
        int heads = 6;
        int kvHeads = 2;
        int headDim = 40;
        int nq = 19;
        int qStart = 30;
        int nk = 49;
        float[] q = random(rnd, nq * heads * headDim, 3f);
        float[] k = random(rnd, nk * kvHeads * headDim, 3f);
        float[] v = random(rnd, nk * kvHeads * headDim, 1f);
        int probsLen = heads * nq * nk;
        assertSameOnAllThreadCounts("attentionProbs", vk -> {
            float[] probs = output(probsLen);
            vk.attentionProbs(q, PAD, nq, qStart, k, PAD, nk, heads, kvHeads, headDim, 0.15f, probs, PAD);
            return probs;
        });
        float[] probs = output(probsLen);
        ONE.attentionProbs(q, PAD, nq, qStart, k, PAD, nk, heads, kvHeads, headDim, 0.15f, probs, PAD);
        assertSameOnAllThreadCounts("attentionContext", vk -> {
            float[] out = output(nq * heads * headDim);
            vk.attentionContext(probs, PAD, nq, qStart, v, PAD, nk, heads, kvHeads, headDim, out, PAD);
            return out;
        });
    }

    @Test
    void elementwise() {
        Random rnd = new Random(24);
        int n = 3 * 4096 + 77;
        float[] gate = random(rnd, n, 10f);
        float[] up = random(rnd, n, 1f);
        assertSameOnAllThreadCounts("swiglu", vk -> {
            float[] out = output(n);
            vk.swiglu(gate, PAD, up, PAD, out, PAD, n);
            return out;
        });
        assertSameOnAllThreadCounts("addInPlace", vk -> {
            float[] acc = gate.clone();
            vk.addInPlace(acc, PAD, up, PAD, n);
            return acc;
        });
    }
}
