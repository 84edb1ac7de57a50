package org.looplens.engine.kernels;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Hand-computed values for the reference backend, so the parity tests rest on something checked. */
class ScalarKernelsTest {
    private final ScalarKernels kernels = new ScalarKernels();

    @Test
    void matmulTwoByTwo() {
        float[] x = {1, 2, 3, 4};
        float[] w = {5, 6, 7, 8};
        float[] out = new float[4];
        kernels.matmulTransposed(x, 0, 2, 2, w, 0, 2, out, 0);
        // [1 2; 3 4] times the transpose of [5 6; 7 8].
        assertArrayEquals(new float[] {17, 23, 39, 53}, out);
    }

    @Test
    void matmulHonoursOffsets() {
        float[] x = {9, 9, 1, 2};
        float[] w = {9, 3, 4};
        float[] out = {-1, -1, -1};
        kernels.matmulTransposed(x, 2, 1, 2, w, 1, 1, out, 1);
        assertArrayEquals(new float[] {-1, 11, -1}, out);
    }

    @Test
    void rmsNormOfThreeFour() {
        float[] out = new float[2];
        kernels.rmsNorm(new float[] {3, 4}, 0, 1, 2, new float[] {1, 2}, 0f, out, 0);
        double rms = Math.sqrt(12.5);
        assertEquals((float) (3 / rms), out[0]);
        assertEquals((float) (8 / rms), out[1]);
    }

    @Test
    void ropeAtPositionZeroIsIdentity() {
        float[][] tables = VectorKernelsParityTest.ropeTables(4, 4, 10000.0);
        float[] x = {0.5f, -1f, 2f, 3f, 7f, 8f, 9f, 10f};
        float[] rotated = x.clone();
        kernels.rope(rotated, 0, 1, 2, 4, new int[] {0}, 0, tables[0], tables[1]);
        assertArrayEquals(x, rotated);
    }

    @Test
    void ropeRotatesEachPairByItsAngle() {
        // headDim 2: one pair (x1, x2) turned by the angle whose cos and sin are in the table.
        float[] cos = {1, 1, 0.6f, 0.6f};
        float[] sin = {0, 0, 0.8f, 0.8f};
        float[] x = {1, 2};
        kernels.rope(x, 0, 1, 1, 2, new int[] {1}, 0, cos, sin);
        assertEquals(1 * 0.6 - 2 * 0.8, x[0], 1e-6);
        assertEquals(2 * 0.6 + 1 * 0.8, x[1], 1e-6);
    }

    @Test
    void attentionProbsAreACausalSoftmax() {
        // One head, headDim 1, two queries of 1; keys 0 and ln 3, so query 1 sees weights 1 : 3.
        float[] q = {1, 1};
        float[] k = {0, (float) Math.log(3)};
        float[] probs = new float[4];
        kernels.attentionProbs(q, 0, 2, 0, k, 0, 2, 1, 1, 1, 1f, probs, 0);
        assertArrayEquals(new float[] {1, 0, 0.25f, 0.75f}, probs, 1e-7f);
    }

    @Test
    void attentionProbsForOneDecodedToken() {
        // Query at position 2 sees keys 0..2; key 3 is beyond it and gets exactly 0.
        float[] q = {2};
        float[] k = {0, 0, 0, 5};
        float[] probs = new float[4];
        kernels.attentionProbs(q, 0, 1, 2, k, 0, 4, 1, 1, 1, 1f, probs, 0);
        assertArrayEquals(new float[] {1f / 3, 1f / 3, 1f / 3, 0f}, probs, 1e-7f);
    }

    @Test
    void attentionContextWeighsValueRows() {
        float[] probs = {1, 0, 0.25f, 0.75f};
        float[] v = {4, 8};
        float[] out = new float[2];
        kernels.attentionContext(probs, 0, 2, 0, v, 0, 2, 1, 1, 1, out, 0);
        assertArrayEquals(new float[] {4, 7}, out);
    }

    @Test
    void groupedQueryHeadsShareKeyValueHeads() {
        // heads 2, kvHeads 1: both query heads read the single value head.
        float[] probs = {1, 1};
        float[] v = {3, 5};
        float[] out = new float[4];
        kernels.attentionContext(probs, 0, 1, 0, v, 0, 1, 2, 1, 2, out, 0);
        assertArrayEquals(new float[] {3, 5, 3, 5}, out);
    }

    @Test
    void siluValues() {
        float[] gate = {0f, 1f, -1000f, 1000f, -100f};
        float[] up = {1f, 1f, 1f, 1f, 2f};
        float[] out = new float[5];
        kernels.swiglu(gate, 0, up, 0, out, 0, 5);
        assertEquals(0f, out[0]);
        assertEquals(1 / (1 + Math.exp(-1)), out[1], 1e-7);
        assertTrue(Float.isFinite(out[2]) && Math.abs(out[2]) < 1e-30, "silu(-1000) = " + out[2]);
        assertEquals(1000f, out[3]);
        assertTrue(Float.isFinite(out[4]) && Math.abs(out[4]) < 1e-30, "silu(-100) * 2 = " + out[4]);
    }

    @Test
    void addInPlaceAddsOnlyTheRange() {
        float[] acc = {1, 2, 3, 4};
        kernels.addInPlace(acc, 1, new float[] {10, 20, 30}, 1, 2);
        assertArrayEquals(new float[] {1, 22, 33, 4}, acc);
    }

    @Test
    void rejectsBadAttentionShapes() {
        float[] a = new float[64];
        assertThrows(IllegalArgumentException.class,
                () -> kernels.attentionProbs(a, 0, 1, 0, a, 0, 1, 3, 2, 1, 1f, a, 0));
        assertThrows(IllegalArgumentException.class,
                () -> kernels.attentionProbs(a, 0, 2, 3, a, 0, 4, 1, 1, 1, 1f, a, 0));
        assertThrows(IllegalArgumentException.class,
                () -> kernels.rope(a, 0, 1, 1, 3, new int[] {0}, 0, a, a));
    }
}
