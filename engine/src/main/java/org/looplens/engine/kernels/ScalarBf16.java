package org.looplens.engine.kernels;

import java.lang.foreign.MemorySegment;

/** The BF16-weight product as plain loops with double accumulation: the reference. */
final class ScalarBf16 {
    private ScalarBf16() {
    }

    static void matmulTransposed(float[] x, int xOff, int n, int k, MemorySegment w, int m, float[] out, int outOff) {
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < m; j++) {
                double sum = 0;
                for (int p = 0; p < k; p++) {
                    sum += (double) x[xOff + i * k + p] * Bf16Reads.get(w, (long) j * k + p);
                }
                out[outOff + i * m + j] = (float) sum;
            }
        }
    }
}
