package org.looplens.engine.kernels;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * OpenBLAS's SGEMM, called through the foreign-function API on the Java arrays themselves (no
 * copies): for large matrix products it beats our own kernel (docs/benchmarks.md). Optional: when no OpenBLAS is installed, or the
 * {@code looplens.blas} property is {@code off}, the vector kernels do all the work.
 */
final class OpenBlas {
    private static final int ROW_MAJOR = 101;
    private static final int NO_TRANS = 111;
    private static final int TRANS = 112;
    private static final List<String> CANDIDATES = List.of(
            "/usr/lib/x86_64-linux-gnu/openblas-pthread/libopenblas.so.0",
            "/usr/lib/x86_64-linux-gnu/libopenblas.so.0",
            "/usr/lib/aarch64-linux-gnu/openblas-pthread/libopenblas.so.0",
            "/usr/lib64/libopenblas.so.0",
            "/usr/local/lib/libopenblas.so.0");

    /** The bound library: one per process, shared by every backend that uses it. */
    private record Library(MethodHandle sgemm, String path) {}

    private static Optional<Library> library;
    private final Library lib;

    private OpenBlas(Library lib) {
        this.lib = lib;
    }

    /**
     * The installed OpenBLAS, if there is one and it is not turned off, set to run each call on
     * the calling thread alone: our workers split the products between them.
     */
    static Optional<OpenBlas> find() {
        return library().map(OpenBlas::new);
    }

    private static synchronized Optional<Library> library() {
        if (library == null) {
            library = locate();
        }
        return library;
    }

    private static Optional<Library> locate() {
        String setting = System.getProperty("looplens.blas", "auto");
        if (setting.equals("off")) {
            return Optional.empty();
        }
        NativeNeighbour.loadAll();
        List<String> paths = setting.equals("auto") ? CANDIDATES : List.of(setting);
        for (String p : paths) {
            if (Files.isRegularFile(Path.of(p))) {
                try {
                    return Optional.of(bind(p));
                } catch (RuntimeException | LinkageError e) {
                    // not a usable OpenBLAS (wrong architecture, missing symbol): try the next
                }
            }
        }
        return Optional.empty();
    }

    private static Library bind(String path) {
        SymbolLookup lib = SymbolLookup.libraryLookup(Path.of(path), Arena.global());
        Linker linker = Linker.nativeLinker();
        ValueLayout i = ValueLayout.JAVA_INT;
        ValueLayout f = ValueLayout.JAVA_FLOAT;
        ValueLayout p = ValueLayout.ADDRESS;
        // critical: the call may read and write the Java arrays in place, and never calls back.
        MethodHandle sgemm = linker.downcallHandle(lib.find("cblas_sgemm").orElseThrow(),
                FunctionDescriptor.ofVoid(i, i, i, i, i, i, f, p, i, p, i, f, p, i), Linker.Option.critical(true));
        MethodHandle setThreads = linker.downcallHandle(lib.find("openblas_set_num_threads").orElseThrow(),
                FunctionDescriptor.ofVoid(i));
        try {
            setThreads.invokeExact(1);
        } catch (Throwable t) {
            throw new IllegalStateException("openblas_set_num_threads failed", t);
        }
        return new Library(sgemm, path);
    }

    String path() {
        return lib.path();
    }


    /**
     * Row-major {@code C[m×n] = A·B + beta·C} with A {@code [m×k]} (or its transpose stored
     * {@code [k×m]}) and B {@code [k×n]} (or its transpose stored {@code [n×k]}).
     */
    void sgemm(boolean transA, boolean transB, int m, int n, int k, float[] a, int aOff, int lda, float[] b,
               int bOff, int ldb, float beta, float[] c, int cOff, int ldc) {
        try {
            lib.sgemm().invokeExact(ROW_MAJOR, transA ? TRANS : NO_TRANS, transB ? TRANS : NO_TRANS, m, n, k, 1f,
                    slice(a, aOff), lda, slice(b, bOff), ldb, beta, slice(c, cOff), ldc);
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException("cblas_sgemm failed", t);
        }
    }

    private static MemorySegment slice(float[] array, int offset) {
        return MemorySegment.ofArray(array).asSlice((long) offset * Float.BYTES);
    }
}
