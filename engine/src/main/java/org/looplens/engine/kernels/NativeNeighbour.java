package org.looplens.engine.kernels;

import java.util.ServiceLoader;

/**
 * A native library elsewhere in the process that bundles its own {@code libopenblas.so.0}, as
 * ND4J does. Libraries that need "libopenblas.so.0" bind to the first one loaded under that name,
 * so if the engine bound the system OpenBLAS first, the neighbour would get it, without the
 * LAPACK routines it expects, and the JVM would die on an undefined symbol. The engine therefore
 * lets every neighbour (found with {@link ServiceLoader}) load before it binds its own.
 */
public interface NativeNeighbour {

    /** Loads the neighbour's native libraries now; called once, before the engine binds OpenBLAS. */
    void loadBeforeOpenBlas();

    /** Loads every registered neighbour; one that fails to load is left out (it will report when used). */
    static void loadAll() {
        for (NativeNeighbour n : ServiceLoader.load(NativeNeighbour.class)) {
            try {
                n.loadBeforeOpenBlas();
            } catch (RuntimeException | LinkageError e) {
                // the neighbour is unusable here; binding the engine's OpenBLAS cannot make that worse
            }
        }
    }
}
