package org.looplens.app.bench;

import java.util.LinkedHashMap;
import java.util.Map;
import org.looplens.engine.InvalidInputException;
import org.looplens.engine.config.LoopConfig;

/** The benchmark model sizes, exactly as the performance targets define them. */
public enum BenchPreset {
    S(64, 128, 256, 2, 4, 2, 32, 4, 64, 32),
    M(512, 256, 704, 4, 8, 4, 32, 4, 128, 16),
    L(2048, 512, 1408, 4, 8, 8, 64, 4, 256, 8);

    public final int vocab;
    public final int hidden;
    public final int intermediate;
    public final int layers;
    public final int heads;
    public final int kvHeads;
    public final int headDim;
    public final int loopSteps;
    public final int sequence;
    public final int batch;

    BenchPreset(int vocab, int hidden, int intermediate, int layers, int heads, int kvHeads, int headDim,
                int loopSteps, int sequence, int batch) {
        this.vocab = vocab;
        this.hidden = hidden;
        this.intermediate = intermediate;
        this.layers = layers;
        this.heads = heads;
        this.kvHeads = kvHeads;
        this.headDim = headDim;
        this.loopSteps = loopSteps;
        this.sequence = sequence;
        this.batch = batch;
    }

    public static BenchPreset parse(String name) {
        try {
            return valueOf(name.toUpperCase());
        } catch (IllegalArgumentException e) {
            throw new InvalidInputException("--preset", "'" + name + "' is not one of S, M, L");
        }
    }

    public LoopConfig config() {
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("vocab_size", vocab);
        f.put("hidden_size", hidden);
        f.put("intermediate_size", intermediate);
        f.put("num_hidden_layers", layers);
        f.put("num_attention_heads", heads);
        f.put("num_key_value_heads", kvHeads);
        f.put("head_dim", headDim);
        f.put("total_ut_steps", loopSteps);
        f.put("max_position_embeddings", Math.max(2048, sequence));
        return LoopConfig.of(f);
    }

    /** Tokens in one optimiser step or forward call. */
    public int tokensPerBatch() {
        return batch * sequence;
    }
}
