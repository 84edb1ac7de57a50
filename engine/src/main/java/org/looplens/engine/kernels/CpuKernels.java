package org.looplens.engine.kernels;

/**
 * Where the engine gets its CPU backend: {@link VectorKernels}, checked for the Vector API first
 * so a missing {@code --add-modules jdk.incubator.vector} fails with a clear message instead of
 * a bare {@code NoClassDefFoundError} (there is deliberately no silent scalar fallback).
 */
public final class CpuKernels {
    private static final String VECTOR_MODULE = "jdk.incubator.vector";

    private CpuKernels() {
    }

    /** A new backend with its own pool of {@code threads} workers; close it when done. */
    public static VectorKernels create(int threads) {
        return new VectorKernels(threads);
    }

    /** The process-wide backend, one worker per available processor, created on first use. */
    public static Kernels shared() {
        requireVectorApi();
        return Shared.INSTANCE;
    }

    /** Throws {@link IllegalStateException} unless the Vector API module is in the boot layer. */
    static void requireVectorApi() {
        if (ModuleLayer.boot().findModule(VECTOR_MODULE).isEmpty()) {
            throw new IllegalStateException("LoopLens needs the Java Vector API, which this JVM was started without:"
                    + " run java with --add-modules " + VECTOR_MODULE);
        }
    }

    private static final class Shared {
        static final VectorKernels INSTANCE = new VectorKernels();
    }
}
