package org.looplens.app.bench;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;
import org.looplens.engine.kernels.Kernels;

/**
 * This machine's limits: streamed read bandwidth (a vectorised sum over an array far larger than
 * the caches, split over the threads) and the best SGEMM rate of the CPU kernels.
 */
public final class Roofline {
    private static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;

    private Roofline() {}

    /**
     * Eight passes, in GB/s, reading {@code megabytes} MB with {@code threads} threads. On a shared
     * host the rate moves with the neighbours' traffic, so callers compare medians with medians.
     */
    public static Timing bandwidthGbPerSecond(int threads, int megabytes) throws Exception {
        float[] data = new float[megabytes * (1 << 20) / Float.BYTES];
        java.util.Arrays.fill(data, 1f);
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            Timing passes = new Timing();
            for (int pass = 0; pass < 8; pass++) {
                long start = System.nanoTime();
                Future<?>[] parts = new Future<?>[threads];
                int chunk = data.length / threads / F.length() * F.length();
                for (int t = 0; t < threads; t++) {
                    int from = t * chunk;
                    int to = t == threads - 1 ? data.length : from + chunk;
                    parts[t] = pool.submit(() -> sum(data, from, to));
                }
                double total = 0;
                for (Future<?> f : parts) {
                    total += (Float) f.get();
                }
                double seconds = (System.nanoTime() - start) / 1e9;
                if (total != data.length) {
                    throw new IllegalStateException("bandwidth probe summed " + total); // keeps the sum alive
                }
                passes.add((double) data.length * Float.BYTES / seconds / 1e9);
            }
            return passes;
        } finally {
            pool.shutdown();
        }
    }

    private static float sum(float[] a, int from, int to) {
        FloatVector acc0 = FloatVector.zero(F);
        FloatVector acc1 = FloatVector.zero(F);
        int i = from;
        int step = 2 * F.length();
        for (; i + step <= to; i += step) {
            acc0 = acc0.add(FloatVector.fromArray(F, a, i));
            acc1 = acc1.add(FloatVector.fromArray(F, a, i + F.length()));
        }
        float s = acc0.add(acc1).reduceLanes(VectorOperators.ADD);
        for (; i < to; i++) {
            s += a[i];
        }
        return s;
    }

    /**
     * Best GFLOP/s of the kernels' three matrix-product forms (x·Wᵀ, dY·W, dYᵀ·X) over square
     * sizes 512, 1024 and 2048: the highest rate this machine's SGEMM reaches here.
     */
    public static double sgemmGflops(Kernels kernels) {
        double best = 0;
        for (int n : new int[] {512, 1024, 2048}) {
            float[] a = new float[n * n];
            float[] b = new float[n * n];
            float[] c = new float[n * n];
            java.util.Arrays.fill(a, 0.5f);
            java.util.Arrays.fill(b, 0.25f);
            for (int form = 0; form < 3; form++) {
                for (int rep = 0; rep < 3; rep++) {
                    long start = System.nanoTime();
                    switch (form) {
                        case 0 -> kernels.matmulTransposed(a, 0, n, n, b, 0, n, c, 0);
                        case 1 -> kernels.matmul(a, 0, n, n, b, 0, n, c, 0, false);
                        default -> kernels.matmulTransposedAAccumulate(a, 0, n, n, b, 0, n, c, 0);
                    }
                    double seconds = (System.nanoTime() - start) / 1e9;
                    best = Math.max(best, 2.0 * n * n * n / seconds / 1e9);
                }
            }
        }
        return best;
    }
}
