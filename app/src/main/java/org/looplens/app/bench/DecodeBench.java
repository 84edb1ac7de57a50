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
        Checkpoint.save(syntheticModel(c), folder, dtype);
        long fileBytes = Files.size(folder.resolve(Checkpoint.WEIGHTS_FILE));
        System.gc();
        LoopModel model = Checkpoint.load(folder);
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
     * once (greedy decoding reads the last step's logits only), at the in-memory width of the
     * weights.
     */
    static long bytesReadPerToken(LoopModel model) {
        LoopWeights w = model.weights();
        long layerFloats = 0;
        for (LayerWeights lw : w.layers()) {
            layerFloats += lw.qProj().length + lw.kProj().length + lw.vProj().length + lw.oProj().length
                    + lw.gateProj().length + lw.upProj().length + lw.downProj().length;
        }
        int steps = model.config().totalUtSteps();
        return (long) Float.BYTES * (steps * layerFloats + w.lmHead().length);
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

    /** Small random weights, norms at one: fast to make, realistic to multiply. */
    private static LoopModel syntheticModel(LoopConfig c) {
        SplittableRandom rng = new SplittableRandom(7);
        int h = c.hiddenSize();
        List<LayerWeights> layers = new ArrayList<>();
        for (int l = 0; l < c.numLayers(); l++) {
            layers.add(new LayerWeights(ones(h), ones(h), ones(h), ones(h),
                    random(rng, c.qDim() * h), random(rng, c.kvDim() * h), random(rng, c.kvDim() * h),
                    random(rng, h * c.qDim()), random(rng, c.intermediateSize() * h),
                    random(rng, c.intermediateSize() * h), random(rng, h * c.intermediateSize())));
        }
        LoopWeights w = new LoopWeights(random(rng, c.vocabSize() * h), layers, ones(h), random(rng, h),
                new float[1], random(rng, c.vocabSize() * h));
        return new LoopModel(c, w);
    }

    private static float[] random(SplittableRandom rng, int n) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = (float) ((rng.nextDouble() - 0.5) * 0.04);
        }
        return a;
    }

    private static float[] ones(int n) {
        float[] a = new float[n];
        java.util.Arrays.fill(a, 1f);
        return a;
    }
}
