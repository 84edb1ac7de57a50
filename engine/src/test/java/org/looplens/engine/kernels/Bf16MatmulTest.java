package org.looplens.engine.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.looplens.engine.io.Bf16;

/**
 * The BF16-weight product against float32 arithmetic on the same (BF16-rounded) weights: the
 * widening is exact, so both backends must match a float32 product of the rounded values.
 */
class Bf16MatmulTest {

    @ParameterizedTest(name = "n={0} k={1} m={2}")
    @CsvSource({"1,64,17", "1,2048,33", "3,7,5", "5,100,64", "4,31,9", "9,257,3"})
    void bothBackendsMatchTheFloatProductOfTheRoundedWeights(int n, int k, int m) {
        SplittableRandom rng = new SplittableRandom(n * 1000L + k * 10L + m);
        float[] x = new float[3 + n * k];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) (rng.nextDouble() * 2 - 1);
        }
        float[] rounded = new float[m * k];
        try (Arena arena = Arena.ofShared()) { // shared: the kernel reads it from worker threads
            MemorySegment w = arena.allocate(2L * m * k, 2);
            for (int i = 0; i < rounded.length; i++) {
                short bits = Bf16.fromFloat((float) (rng.nextDouble() * 2 - 1));
                w.set(ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN), 2L * i, bits);
                rounded[i] = Bf16.toFloat(bits);
            }
            float[] want = new float[n * m];
            new ScalarKernels().matmulTransposed(x, 3, n, k, rounded, 0, m, want, 0);
            for (Kernels backend : new Kernels[] {new ScalarKernels(), new VectorKernels(1), new VectorKernels(2, 1)}) {
                float[] got = new float[2 + n * m];
                got[0] = 42f;
                got[got.length - 1] = 42f;
                backend.matmulTransposedBf16(x, 3, n, k, w, m, got, 1);
                for (int i = 0; i < n * m; i++) {
                    assertEquals(want[i], got[1 + i], 1e-5 * k, backend.name() + " element " + i);
                }
                assertEquals(42f, got[0], "nothing written before the output");
                assertEquals(42f, got[got.length - 1], "nothing written after the output");
                if (backend instanceof AutoCloseable c) {
                    close(c);
                }
            }
        }
    }

    private static void close(AutoCloseable c) {
        try {
            c.close();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
