package org.looplens.app.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.looplens.engine.kernels.Kernels;

/**
 * The matrix products of one training step at a preset's shapes, on their own: for every
 * projection of a layer and the LM head, the forward product x·Wᵀ, the input gradient dY·W and
 * the weight gradient dYᵀ·X, over batch × sequence rows. Reports GFLOP/s, to hold against the
 * machine's best SGEMM rate.
 */
public final class GemmBench {
    private GemmBench() {}

    /** One projection: {@code in} features to {@code out} features. */
    private record Shape(int in, int out) {}

    public static Timing run(BenchPreset p, Kernels kernels, double seconds) {
        int rows = p.tokensPerBatch();
        int q = p.heads * p.headDim;
        int kv = p.kvHeads * p.headDim;
        List<Shape> shapes = List.of(new Shape(p.hidden, q), new Shape(p.hidden, kv), new Shape(p.hidden, kv),
                new Shape(q, p.hidden), new Shape(p.hidden, p.intermediate), new Shape(p.hidden, p.intermediate),
                new Shape(p.intermediate, p.hidden), new Shape(p.hidden, p.vocab));
        SplittableRandom rng = new SplittableRandom(4);
        List<float[][]> buffers = new ArrayList<>();
        long flops = 0;
        for (Shape s : shapes) {
            buffers.add(new float[][] {random(rng, rows * s.in()), random(rng, s.out() * s.in()),
                    new float[rows * s.out()], new float[rows * s.in()], new float[s.out() * s.in()]});
            flops += 3L * 2 * rows * s.in() * s.out();
        }
        double gflopPerIteration = flops / 1e9;
        Timing perSecond = Timing.measure(seconds, 1, () -> {
            for (int i = 0; i < shapes.size(); i++) {
                Shape s = shapes.get(i);
                float[][] b = buffers.get(i);
                kernels.matmulTransposed(b[0], 0, rows, s.in(), b[1], 0, s.out(), b[2], 0);
                kernels.matmul(b[2], 0, rows, s.out(), b[1], 0, s.in(), b[3], 0, false);
                kernels.matmulTransposedAAccumulate(b[2], 0, rows, s.out(), b[0], 0, s.in(), b[4], 0);
            }
            return 1;
        });
        Timing gflops = new Timing();
        for (double iterationsPerSecond : perSecond.values()) {
            gflops.add(iterationsPerSecond * gflopPerIteration);
        }
        return gflops;
    }

    private static float[] random(SplittableRandom rng, int n) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = (float) (rng.nextDouble() - 0.5);
        }
        return a;
    }
}
