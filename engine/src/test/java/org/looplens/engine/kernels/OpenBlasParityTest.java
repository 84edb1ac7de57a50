package org.looplens.engine.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * The three training products routed to OpenBLAS agree with the double-precision reference, on
 * offset slices and accumulating into existing values. Needs an installed OpenBLAS (CI installs
 * one); {@code -Dlooplens.blas=off} is the only way to skip.
 */
class OpenBlasParityTest {
    private static final ScalarKernels REF = new ScalarKernels();
    private static final VectorKernels BLAS = new VectorKernels(2, ParallelFor.DEFAULT_MIN_PARALLEL_WORK,
            OpenBlas.find().orElse(null));
    // 67 × 301 × 1031 multiply-adds > BLAS_MIN_WORK: large enough to be routed, odd in every dimension.
    private static final int N = 67;
    private static final int K = 301;
    private static final int M = 1031;

    @AfterAll
    static void close() {
        BLAS.close();
    }

    private static boolean wanted() {
        return !"off".equals(System.getProperty("looplens.blas"));
    }

    @Test
    void openBlasIsFoundAndUsed() {
        if (wanted()) {
            assertEquals("vector+openblas", BLAS.name(), "no OpenBLAS found: install libopenblas0-pthread");
            assertTrue((long) N * K * M >= VectorKernels.BLAS_MIN_WORK);
        }
    }

    @Test
    void xTimesWTransposed() {
        Random rnd = new Random(3);
        float[] x = TestArrays.random(rnd, 5 + N * K, 1f);
        float[] w = TestArrays.random(rnd, 7 + M * K, 1f);
        float[] got = new float[3 + N * M];
        float[] want = new float[3 + N * M];
        java.util.Arrays.fill(got, 3, got.length, Float.NaN); // overwritten, never read
        BLAS.matmulTransposed(x, 5, N, K, w, 7, M, got, 3);
        REF.matmulTransposed(x, 5, N, K, w, 7, M, want, 3);
        close(want, got, 3, K);
    }

    @Test
    void plainProductOverwritingAndAccumulating() {
        Random rnd = new Random(4);
        float[] a = TestArrays.random(rnd, 2 + N * K, 1f);
        float[] b = TestArrays.random(rnd, 9 + K * M, 1f);
        for (boolean accumulate : new boolean[] {false, true}) {
            float[] got = TestArrays.random(new Random(5), 1 + N * M, 1f);
            float[] want = got.clone();
            BLAS.matmul(a, 2, N, K, b, 9, M, got, 1, accumulate);
            REF.matmul(a, 2, N, K, b, 9, M, want, 1, accumulate);
            close(want, got, 1, K);
        }
    }

    @Test
    void weightGradientAccumulates() {
        Random rnd = new Random(6);
        int rows = 301;
        int m = 67;
        int k = 1031;
        float[] a = TestArrays.random(rnd, 4 + rows * m, 1f);
        float[] b = TestArrays.random(rnd, 6 + rows * k, 1f);
        float[] got = TestArrays.random(new Random(7), 2 + m * k, 1f);
        float[] want = got.clone();
        BLAS.matmulTransposedAAccumulate(a, 4, rows, m, b, 6, k, got, 2);
        REF.matmulTransposedAAccumulate(a, 4, rows, m, b, 6, k, want, 2);
        close(want, got, 2, rows);
    }

    /** float32 sums of {@code terms} products of unit-scale values: within 1e-5 · terms. */
    private static void close(float[] want, float[] got, int from, int terms) {
        for (int i = from; i < want.length; i++) {
            assertEquals(want[i], got[i], 1e-5 * terms, "element " + i);
        }
        for (int i = 0; i < from; i++) {
            assertEquals(Float.floatToIntBits(want[i]), Float.floatToIntBits(got[i]), "element " + i + " before the offset");
        }
    }
}
