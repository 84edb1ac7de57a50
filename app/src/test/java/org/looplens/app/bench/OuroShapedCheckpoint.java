package org.looplens.app.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.looplens.engine.config.LoopConfig;
import org.looplens.engine.io.DType;

/**
 * For tests: a checkpoint folder as a released Ouro-1.4B(-Thinking) one looks (the Hugging Face
 * config.json fields, the exact tensor names and layout of {@link org.looplens.engine.model.WeightNames},
 * BF16 weights, untied head, 4 loop steps) at reduced depth and width, with random weights, and
 * the ChatML tokenizer files of engine/src/test/resources/chatml (byte-level, 259 ids:
 * {@code <|endoftext|>} 0, {@code <|im_start|>} 1, {@code <|im_end|>} 2, byte b = b + 3; a chat
 * template; generation_config.json with eos_token_id [2, 0]). Nothing is downloaded.
 */
public final class OuroShapedCheckpoint {
    /** The 1.4B model's values that the reduced copy keeps. */
    public static final int VOCAB = 259;
    private static final Path TOKENIZER_FIXTURE = Path.of("..", "engine", "src", "test", "resources", "chatml");
    private static final List<String> TOKENIZER_FILES = List.of("tokenizer.json", "tokenizer_config.json",
            "special_tokens_map.json", "generation_config.json");

    private OuroShapedCheckpoint() {}

    /** Writes the folder with {@code layers} layers of width {@code hidden} (heads of 16 dims). */
    public static Path write(Path folder, int layers, int hidden) {
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("vocab_size", VOCAB);
        f.put("hidden_size", hidden);
        f.put("intermediate_size", hidden * 11 / 4); // 5632 / 2048 in the 1.4B model
        f.put("num_hidden_layers", layers);
        f.put("num_attention_heads", hidden / 16);
        f.put("num_key_value_heads", hidden / 16);
        f.put("head_dim", 16);
        f.put("total_ut_steps", 4);
        f.put("rope_theta", 1000000.0);
        f.put("max_position_embeddings", 65536);
        f.put("tie_word_embeddings", false);
        f.put("torch_dtype", "bfloat16");
        LoopConfig config = LoopConfig.of(f);
        SyntheticCheckpoint.write(config, folder, DType.BF16);
        try {
            Files.writeString(folder.resolve(LoopConfig.FILE_NAME), hfConfig(f, layers));
            Path fixture = fixtureFolder();
            for (String name : TOKENIZER_FILES) {
                Files.copy(fixture.resolve(name), folder.resolve(name), StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return folder;
    }

    /** config.json with the fields transformers writes for Ouro, not only those LoopLens reads. */
    private static String hfConfig(Map<String, Object> fields, int layers) {
        ObjectNode c = new ObjectMapper().valueToTree(fields);
        c.putArray("architectures").add("OuroForCausalLM");
        c.putObject("auto_map").put("AutoConfig", "configuration_ouro.OuroConfig")
                .put("AutoModel", "modeling_ouro.OuroModel")
                .put("AutoModelForCausalLM", "modeling_ouro.OuroForCausalLM");
        c.put("model_type", "ouro");
        c.put("hidden_act", "silu");
        c.put("attention_dropout", 0.0);
        c.put("initializer_range", 0.02);
        c.put("rms_norm_eps", 1e-6);
        c.put("early_exit_threshold", 1.0);
        c.put("bos_token_id", 1);
        c.put("eos_token_id", 2);
        c.put("use_cache", true);
        c.put("use_sliding_window", false);
        c.putNull("sliding_window");
        c.putNull("rope_scaling");
        c.put("max_window_layers", layers);
        var types = c.putArray("layer_types");
        for (int i = 0; i < layers; i++) {
            types.add("full_attention");
        }
        c.put("transformers_version", "4.55.0");
        return c.toPrettyString() + "\n";
    }

    /** The committed tokenizer files; tests run in the module folder, so the engine's is a sibling. */
    private static Path fixtureFolder() {
        Path fixture = Path.of(System.getProperty("user.dir")).resolve(TOKENIZER_FIXTURE).normalize();
        if (!Files.isRegularFile(fixture.resolve("tokenizer.json"))) {
            throw new IllegalStateException(fixture + " has no tokenizer.json: run the tests from the app module");
        }
        return fixture;
    }
}
