package org.looplens.analyses;

import java.util.LinkedHashMap;
import java.util.Map;
import org.looplens.engine.config.LoopConfig;
import org.looplens.engine.model.LoopModel;
import org.looplens.engine.model.RandomInit;

/** Small random looped models for the analyses' tests. */
public final class SmallModels {
    private SmallModels() {}

    /** 32 hidden, 64 intermediate, 4 heads over 2 kv heads, random weights of scale {@code init}. */
    public static LoopModel random(int vocab, int layers, int steps, double init, long seed) {
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("vocab_size", vocab);
        f.put("hidden_size", 32);
        f.put("intermediate_size", 64);
        f.put("num_hidden_layers", layers);
        f.put("num_attention_heads", 4);
        f.put("num_key_value_heads", 2);
        f.put("total_ut_steps", steps);
        f.put("max_position_embeddings", 64);
        f.put("initializer_range", init);
        return RandomInit.create(LoopConfig.of(f), seed);
    }
}
