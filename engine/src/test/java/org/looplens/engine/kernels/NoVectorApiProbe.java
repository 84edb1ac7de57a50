package org.looplens.engine.kernels;

/** Run by {@link CpuKernelsTest} in a JVM without the Vector API module; prints what goes wrong. */
public final class NoVectorApiProbe {
    private NoVectorApiProbe() {
    }

    public static void main(String[] args) {
        try {
            CpuKernels.shared();
        } catch (IllegalStateException e) {
            System.out.println(e.getMessage());
            System.exit(3);
        }
        System.exit(0);
    }
}
