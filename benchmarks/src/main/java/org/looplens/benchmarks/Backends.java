package org.looplens.benchmarks;

import java.util.Random;
import org.looplens.engine.kernels.Kernels;
import org.looplens.engine.kernels.ScalarKernels;
import org.looplens.engine.kernels.VectorKernels;

/** The backends a benchmark's {@code backend} parameter names, and seeded test data. */
final class Backends {

    /** Seed of every array the benchmarks fill, so runs see the same data. */
    static final long SEED = 42;

    private Backends() {
    }

    /**
     * {@code "scalar"} for the reference {@link ScalarKernels}, {@code "vector-T"} for
     * {@link VectorKernels} with T worker threads ({@code "vector-1"}, {@code "vector-2"}, ...).
     */
    static Kernels open(String backend) {
        if (backend.equals("scalar")) {
            return new ScalarKernels();
        }
        if (backend.startsWith("vector-")) {
            return new VectorKernels(Integer.parseInt(backend.substring("vector-".length())));
        }
        throw new IllegalArgumentException("backend '" + backend + "' is not scalar or vector-<threads>");
    }

    /** Stops the worker threads of a {@link VectorKernels}; nothing to do for the others. */
    static void close(Kernels kernels) {
        if (kernels instanceof VectorKernels vector) {
            vector.close();
        }
    }

    /** {@code size} floats uniform in [-1, 1). */
    static float[] uniform(Random random, int size) {
        float[] a = new float[size];
        for (int i = 0; i < size; i++) {
            a[i] = random.nextFloat() * 2 - 1;
        }
        return a;
    }
}
