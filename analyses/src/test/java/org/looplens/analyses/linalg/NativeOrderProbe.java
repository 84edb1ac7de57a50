package org.looplens.analyses.linalg;

import java.util.SplittableRandom;
import org.looplens.engine.kernels.CpuKernels;
import org.looplens.engine.kernels.ScalarKernels;

/**
 * Run in a fresh JVM by {@link NativeOrderTest}: a product large enough for the engine to bind
 * the system OpenBLAS, then an SVD through ND4J. Prints the largest product error and the first
 * variance.
 */
public final class NativeOrderProbe {
    private NativeOrderProbe() {}

    public static void main(String[] args) {
        int n = 256;
        SplittableRandom rng = new SplittableRandom(5);
        float[] x = new float[n * n];
        float[] w = new float[n * n];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) rng.nextGaussian();
            w[i] = (float) rng.nextGaussian();
        }
        float[] out = new float[n * n];
        float[] ref = new float[n * n];
        // 256³ = 2^24 multiply-adds: at the engine's OpenBLAS threshold.
        CpuKernels.shared().matmulTransposed(x, 0, n, n, w, 0, n, out, 0);
        new ScalarKernels().matmulTransposed(x, 0, n, n, w, 0, n, ref, 0);
        double err = 0;
        for (int i = 0; i < out.length; i++) {
            err = Math.max(err, Math.abs(out[i] - ref[i]));
        }
        Pca pca = Pca.fit(new double[][] {{1, 2}, {3, 4}, {5, 7}}, 1);
        System.out.println(CpuKernels.shared().name() + " " + err + " " + pca.variances()[0]);
    }
}
