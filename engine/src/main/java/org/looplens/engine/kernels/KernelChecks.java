package org.looplens.engine.kernels;

/** Shape checks shared by the kernel implementations; array bounds are left to the JVM. */
final class KernelChecks {
    private KernelChecks() {
    }

    static void attention(int nq, int qStart, int nk, int heads, int kvHeads, int headDim) {
        if (nq < 0 || qStart < 0 || headDim < 0 || heads <= 0 || kvHeads <= 0 || heads % kvHeads != 0) {
            throw new IllegalArgumentException("bad attention shape: nq=" + nq + " qStart=" + qStart
                    + " heads=" + heads + " kvHeads=" + kvHeads + " headDim=" + headDim);
        }
        if (nk < qStart + nq) {
            throw new IllegalArgumentException("nk=" + nk + " is less than qStart + nq = " + (qStart + nq));
        }
    }

    static void rope(int headDim) {
        if (headDim % 2 != 0) {
            throw new IllegalArgumentException("rotary embedding needs an even headDim, got " + headDim);
        }
    }
}
