package org.looplens.app.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.looplens.engine.config.LoopConfig;
import org.looplens.engine.io.DType;
import org.looplens.engine.kernels.Kernels;
import org.looplens.engine.model.Checkpoint;
import org.looplens.engine.model.LayerWeights;
import org.looplens.engine.model.LoopModel;
import org.looplens.engine.model.LoopWeights;
import org.looplens.engine.run.DecodeSession;
import org.looplens.engine.run.LoopRunner;
import org.looplens.engine.run.RunOptions;
import org.looplens.engine.tensor.WeightMatrix;

/**
 * Token-by-token decoding of a model in the Ouro-1.4B layout (hidden 2048, 16 heads of 128,
 * intermediate 5632, vocab 49152, 4 loop steps) with a chosen number of layers: writes a
 * synthetic checkpoint, loads it back, prefills a prompt and times each decoded token.
 */
public final class DecodeBench {
    private DecodeBench() {}

    /** What the decode benchmark measured. */
    public record Result(Timing tokensPerSecond, long bytesPerToken, long rssBytes, long weightFileBytes) {}

    public static LoopConfig ouro14bLayout(int layers) {
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("vocab_size", 49152);
        f.put("hidden_size", 2048);
        f.put("intermediate_size", 5632);
        f.put("num_hidden_layers", layers);
        f.put("num_attention_heads", 16);
        f.put("num_key_value_heads", 16);
        f.put("head_dim", 128);
        f.put("total_ut_steps", 4);
        f.put("rope_theta", 1000000.0);
        f.put("max_position_embeddings", 65536);
        f.put("tie_word_embeddings", false);
        f.put("torch_dtype", "bfloat16");
        return LoopConfig.of(f);
    }

    public static Result run(int layers, DType dtype, int prompt, int tokens, Kernels kernels, Path folder)
            throws IOException {
        LoopConfig c = ouro14bLayout(layers);
        SyntheticCheckpoint.write(c, folder, dtype);
        long fileBytes = Files.size(folder.resolve(Checkpoint.WEIGHTS_FILE));
        try (LoopModel model = Checkpoint.loadMapped(folder)) {
            return decode(model, prompt, tokens, kernels, fileBytes);
        }
    }

    private static Result decode(LoopModel model, int prompt, int tokens, Kernels kernels, long fileBytes) {
        LoopConfig c = model.config();
        LoopRunner runner = new LoopRunner(model, kernels);
        SplittableRandom rng = new SplittableRandom(3);
        int[] promptTokens = rng.ints(prompt, 0, c.vocabSize()).toArray();
        DecodeSession session = runner.session(RunOptions.defaults());
        session.append(promptTokens);
        Timing timing = new Timing();
        for (int i = 0; i < tokens; i++) {
            int next = rng.nextInt(c.vocabSize());
            long start = System.nanoTime();
            session.append(next);
            if (i >= 2) { // the first tokens warm up the JIT
                timing.add(1 / ((System.nanoTime() - start) / 1e9));
            }
        }
        return new Result(timing, bytesReadPerToken(model), residentBytes(), fileBytes);
    }

    /**
     * Weight bytes one decoded token reads: every layer matrix once per loop step and the head
     * once (greedy decoding reads the last step's logits only), at the width they are stored in
     * (BF16 weights are read in place).
     */
    static long bytesReadPerToken(LoopModel model) {
        LoopWeights w = model.weights();
        long layerBytes = 0;
        for (LayerWeights lw : w.layers()) {
            for (WeightMatrix m : List.of(lw.qProj(), lw.kProj(), lw.vProj(), lw.oProj(), lw.gateProj(), lw.upProj(),
                    lw.downProj())) {
                layerBytes += m.bytes();
            }
        }
        return model.config().totalUtSteps() * layerBytes + w.lmHead().bytes();
    }

    /** Resident set size of this process (VmRSS), or −1 where /proc is not available. */
    static long residentBytes() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
                }
            }
        } catch (IOException | NumberFormatException e) {
            return -1;
        }
        return -1;
    }
}
