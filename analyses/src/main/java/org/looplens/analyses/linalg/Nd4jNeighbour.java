package org.looplens.analyses.linalg;

import org.looplens.engine.kernels.NativeNeighbour;

/** Tells the engine to let ND4J load its bundled OpenBLAS before the engine binds the system one. */
public final class Nd4jNeighbour implements NativeNeighbour {
    @Override
    public void loadBeforeOpenBlas() {
        Matrices.loadNatives();
    }
}
