package org.looplens.engine;

import java.util.Map;
import java.util.SplittableRandom;
import org.looplens.engine.config.LoopConfig;
import org.looplens.engine.model.LayerWeights;
import org.looplens.engine.model.LoopModel;
import org.looplens.engine.model.LoopWeights;
import org.looplens.engine.model.RandomInit;

/**
 * Small random models for unit tests. Unlike a fresh initialisation they have non-trivial norms
 * and exit gates, so every site of the computation carries signal and λ varies across steps.
 */
public final class TestModels {
    private TestModels() {}

    /** GQA (4 heads over 2 kv heads), untied head, 3 steps. */
    public static LoopConfig gqaConfig() {
        return LoopConfig.of(Map.of(
                "vocab_size", 37, "hidden_size", 24, "intermediate_size", 40, "num_hidden_layers", 2,
                "num_attention_heads", 4, "num_key_value_heads", 2, "head_dim", 6, "total_ut_steps", 3,
                "initializer_range", 0.3, "max_position_embeddings", 64));
    }

    /** Tied embeddings, one kv head per head, 4 steps. */
    public static LoopConfig tiedConfig() {
        return LoopConfig.of(Map.of(
                "vocab_size", 29, "hidden_size", 16, "intermediate_size", 24, "num_hidden_layers", 1,
                "num_attention_heads", 2, "num_key_value_heads", 2, "total_ut_steps", 4,
                "tie_word_embeddings", true, "initializer_range", 0.3));
    }

    public static LoopModel random(LoopConfig c, long seed) {
        LoopModel base = RandomInit.create(c, seed);
        SplittableRandom rng = new SplittableRandom(seed * 31 + 7);
        LoopWeights w = base.weights();
        for (LayerWeights lw : w.layers()) {
            jitter(rng, lw.inputNorm());
            jitter(rng, lw.inputNorm2());
            jitter(rng, lw.postAttentionNorm());
            jitter(rng, lw.postAttentionNorm2());
        }
        jitter(rng, w.finalNorm());
        for (int i = 0; i < w.exitGateWeight().length; i++) {
            w.exitGateWeight()[i] = (float) (rng.nextDouble() - 0.5);
        }
        w.exitGateBias()[0] = -0.3f;
        return base;
    }

    private static void jitter(SplittableRandom rng, float[] norm) {
        for (int i = 0; i < norm.length; i++) {
            norm[i] = (float) (0.5 + rng.nextDouble());
        }
    }

    public static int[] tokens(int length, int vocab, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        int[] t = new int[length];
        for (int i = 0; i < length; i++) {
            t[i] = rng.nextInt(vocab);
        }
        return t;
    }

    /** Largest absolute element-wise difference. */
    public static double maxDiff(float[] a, float[] b) {
        if (a.length != b.length) {
            throw new AssertionError("lengths differ: " + a.length + " vs " + b.length);
        }
        double m = 0;
        for (int i = 0; i < a.length; i++) {
            m = Math.max(m, Math.abs(a[i] - b[i]));
        }
        return m;
    }
}
