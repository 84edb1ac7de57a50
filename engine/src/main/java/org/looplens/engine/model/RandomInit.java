package org.looplens.engine.model;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.looplens.engine.config.LoopConfig;
import org.looplens.engine.tensor.WeightMatrix;

/**
 * Fresh weights for a config: normal(0, std) matrices (std = {@code initializer_range}, 0.02 by
 * default, as in the official code), norms at one, and the exit gate at zero so that every step
 * starts with λ = ½. Deterministic for a seed.
 */
public final class RandomInit {
    private RandomInit() {}

    public static LoopModel create(LoopConfig c, long seed) {
        double std = c.json().path("initializer_range").asDouble(0.02);
        SplittableRandom rng = new SplittableRandom(seed);
        int h = c.hiddenSize();
        int v = c.vocabSize();
        int q = c.qDim();
        int kv = c.kvDim();
        int inter = c.intermediateSize();
        WeightMatrix embed = matrix(rng, v, h, std);
        List<LayerWeights> layers = new ArrayList<>();
        for (int l = 0; l < c.numLayers(); l++) {
            layers.add(new LayerWeights(
                    ones(h), ones(h), ones(h), ones(h),
                    matrix(rng, q, h, std), matrix(rng, kv, h, std), matrix(rng, kv, h, std), matrix(rng, h, q, std),
                    matrix(rng, inter, h, std), matrix(rng, inter, h, std), matrix(rng, h, inter, std)));
        }
        WeightMatrix head = c.tieWordEmbeddings() ? embed : matrix(rng, v, h, std);
        LoopWeights w = new LoopWeights(embed, List.copyOf(layers), ones(h), new float[h], new float[1], head);
        return new LoopModel(c, w);
    }

    private static WeightMatrix matrix(SplittableRandom rng, int rows, int cols, double std) {
        return WeightMatrix.dense(normal(rng, (long) rows * cols, std), rows, cols);
    }

    private static float[] normal(SplittableRandom rng, long n, double std) {
        float[] a = new float[Math.toIntExact(n)];
        for (int i = 0; i < a.length; i++) {
            a[i] = (float) (gaussian(rng) * std);
        }
        return a;
    }

    private static double gaussian(SplittableRandom rng) {
        // Box–Muller: SplittableRandom has no nextGaussian of its own on every JDK we target.
        double u = 1.0 - rng.nextDouble();
        double v = rng.nextDouble();
        return Math.sqrt(-2.0 * Math.log(u)) * Math.cos(2 * Math.PI * v);
    }

    private static float[] ones(int n) {
        float[] a = new float[n];
        java.util.Arrays.fill(a, 1f);
        return a;
    }
}
