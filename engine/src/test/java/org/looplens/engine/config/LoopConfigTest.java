package org.looplens.engine.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.looplens.engine.InvalidInputException;

/** Reading {@code config.json}: every field, the defaults, and one refusal per broken rule. */
class LoopConfigTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** A config shaped like the Ouro fixtures, with every size distinct so a mix-up shows. */
    private static final String BASE = """
            {
              "architectures": ["OuroForCausalLM"],
              "model_type": "ouro",
              "vocab_size": 64,
              "hidden_size": 32,
              "intermediate_size": 96,
              "num_hidden_layers": 3,
              "num_attention_heads": 4,
              "num_key_value_heads": 2,
              "head_dim": 8,
              "hidden_act": "silu",
              "rope_theta": 1000000.0,
              "rms_norm_eps": 1e-05,
              "total_ut_steps": 5,
              "early_exit_threshold": 0.75,
              "tie_word_embeddings": true,
              "max_position_embeddings": 4096,
              "rope_scaling": null,
              "use_sliding_window": false,
              "sliding_window": null,
              "layer_types": ["full_attention", "full_attention", "full_attention"],
              "transformers_version": "4.55.0"
            }
            """;

    @TempDir
    Path dir;

    private Path write(String text) {
        try {
            return Files.writeString(dir.resolve("config.json"), text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The base config with {@code edit} applied, written to {@code config.json}. */
    private Path edited(Consumer<ObjectNode> edit) {
        try {
            ObjectNode node = (ObjectNode) JSON.readTree(BASE);
            edit.accept(node);
            return write(node.toString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Reads {@code file}, expects a refusal naming the file and every fragment, on one line. */
    private static InvalidInputException refused(Path file, String... fragments) {
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> LoopConfig.read(file));
        String m = e.getMessage();
        assertTrue(m.contains(file.toString()), () -> "no file in: " + m);
        for (String f : fragments) {
            assertTrue(m.contains(f), () -> "no '" + f + "' in: " + m);
        }
        assertFalse(m.contains("\n"), () -> "not one line: " + m);
        return e;
    }

    @Test
    void readsEveryField() {
        LoopConfig c = LoopConfig.read(write(BASE));
        assertEquals(64, c.vocabSize());
        assertEquals(32, c.hiddenSize());
        assertEquals(96, c.intermediateSize());
        assertEquals(3, c.numLayers());
        assertEquals(4, c.numHeads());
        assertEquals(2, c.numKvHeads());
        assertEquals(8, c.headDim());
        assertEquals(1_000_000.0, c.ropeTheta());
        assertEquals(1e-5, c.rmsNormEps());
        assertEquals(5, c.totalUtSteps());
        assertEquals(0.75, c.earlyExitThreshold());
        assertTrue(c.tieWordEmbeddings());
        assertEquals(4096, c.maxPositionEmbeddings());
        assertEquals(32, c.qDim());
        assertEquals(16, c.kvDim());
    }

    @Test
    void optionalFieldsTakeOuroDefaults() {
        LoopConfig c = LoopConfig.read(edited(n -> n.remove(java.util.List.of("num_key_value_heads", "head_dim",
                "rope_theta", "rms_norm_eps", "total_ut_steps", "early_exit_threshold", "tie_word_embeddings",
                "max_position_embeddings", "hidden_act", "rope_scaling", "use_sliding_window"))));
        assertEquals(4, c.numKvHeads());
        assertEquals(8, c.headDim());
        assertEquals(10000.0, c.ropeTheta());
        assertEquals(1e-6, c.rmsNormEps());
        assertEquals(4, c.totalUtSteps());
        assertEquals(1.0, c.earlyExitThreshold());
        assertFalse(c.tieWordEmbeddings());
        assertEquals(32768, c.maxPositionEmbeddings());
    }

    @Test
    void headDimDefaultsToHiddenOverHeads() {
        LoopConfig c = LoopConfig.read(edited(n -> {
            n.remove("head_dim");
            n.put("num_attention_heads", 2);
            n.put("num_key_value_heads", 1);
        }));
        assertEquals(16, c.headDim());
        assertEquals(32, c.qDim());
        assertEquals(16, c.kvDim());
    }

    @Test
    void explicitHeadDimNeedNotDivideHidden() {
        LoopConfig c = LoopConfig.read(edited(n -> {
            n.put("hidden_size", 30);
            n.put("head_dim", 6);
        }));
        assertEquals(6, c.headDim());
        assertEquals(24, c.qDim());
        assertEquals(12, c.kvDim());
    }

    @Test
    void unknownFieldsAreKeptAndIgnored() {
        LoopConfig c = LoopConfig.read(edited(n -> {
            n.put("my_lab_note", "run 17");
            n.putObject("extra_block").put("depth", 3);
        }));
        assertEquals(32, c.hiddenSize());
        assertEquals("run 17", c.json().get("my_lab_note").textValue());
        assertEquals(3, c.json().get("extra_block").get("depth").intValue());
        assertEquals("4.55.0", c.json().get("transformers_version").textValue());
    }

    @Test
    void jsonRoundTripKeepsEveryField() throws IOException {
        LoopConfig c = LoopConfig.read(edited(n -> n.put("my_lab_note", "run 17")));
        LoopConfig again = LoopConfig.read(write(c.toJsonString()));
        assertEquals(c.json(), again.json());
        assertEquals(c, again);
        assertEquals(JSON.readTree(c.toJsonString()).get("my_lab_note").textValue(), "run 17");
    }

    @Test
    void jsonReturnsACopy() {
        LoopConfig c = LoopConfig.read(write(BASE));
        c.json().put("hidden_size", 999);
        assertEquals(32, c.json().get("hidden_size").intValue());
    }

    @ParameterizedTest
    @ValueSource(strings = {"vocab_size", "hidden_size", "intermediate_size", "num_hidden_layers",
            "num_attention_heads"})
    void missingRequiredFieldIsNamed(String field) {
        refused(edited(n -> n.remove(field)), "missing required field '" + field + "'");
    }

    @Test
    void nullRequiredFieldCountsAsMissing() {
        refused(edited(n -> n.putNull("vocab_size")), "missing required field 'vocab_size'");
    }

    @Test
    void integerFieldGivenAsString() {
        refused(edited(n -> n.put("hidden_size", "32")), "'hidden_size'", "must be an integer");
    }

    @Test
    void integerFieldGivenAsFraction() {
        refused(edited(n -> n.put("intermediate_size", 96.5)), "'intermediate_size'", "must be an integer");
    }

    @Test
    void integerFieldTooLargeForAnInt() {
        refused(edited(n -> n.put("vocab_size", 10_000_000_000L)), "'vocab_size'", "must be an integer");
    }

    @Test
    void numberFieldGivenAsString() {
        refused(edited(n -> n.put("rope_theta", "1e6")), "'rope_theta'", "must be a number");
    }

    @Test
    void booleanFieldGivenAsString() {
        refused(edited(n -> n.put("tie_word_embeddings", "true")), "'tie_word_embeddings'", "must be true or false");
    }

    @Test
    void stringFieldGivenAsNumber() {
        refused(edited(n -> n.put("hidden_act", 1)), "'hidden_act'", "must be a string");
    }

    @ParameterizedTest
    @ValueSource(strings = {"vocab_size", "hidden_size", "intermediate_size", "num_hidden_layers",
            "num_attention_heads", "num_key_value_heads", "head_dim", "max_position_embeddings"})
    void zeroSizeIsRefused(String field) {
        refused(edited(n -> n.put(field, 0)), "'" + field + "'", "must be positive, got 0");
    }

    @ParameterizedTest
    @ValueSource(strings = {"vocab_size", "hidden_size", "intermediate_size", "num_hidden_layers",
            "num_attention_heads", "num_key_value_heads", "head_dim", "max_position_embeddings"})
    void negativeSizeIsRefused(String field) {
        refused(edited(n -> n.put(field, -4)), "'" + field + "'", "must be positive, got -4");
    }

    @Test
    void headsNotAMultipleOfKvHeads() {
        refused(edited(n -> n.put("num_key_value_heads", 3)),
                "num_attention_heads 4", "num_key_value_heads 3", "not a multiple");
    }

    @Test
    void hiddenNotDivisibleByHeadsWithoutHeadDim() {
        refused(edited(n -> {
            n.remove("head_dim");
            n.put("hidden_size", 30);
        }), "hidden_size 30", "num_attention_heads 4", "head_dim");
    }

    @Test
    void oddHeadDim() {
        refused(edited(n -> n.put("head_dim", 7)), "head_dim 7", "even");
    }

    @Test
    void zeroLoopSteps() {
        refused(edited(n -> n.put("total_ut_steps", 0)), "total_ut_steps", "at least 1, got 0");
    }

    @Test
    void earlyExitThresholdAboveOne() {
        refused(edited(n -> n.put("early_exit_threshold", 1.5)), "early_exit_threshold", "[0, 1]", "1.5");
    }

    @Test
    void earlyExitThresholdBelowZero() {
        refused(edited(n -> n.put("early_exit_threshold", -0.1)), "early_exit_threshold", "[0, 1]", "-0.1");
    }

    @Test
    void earlyExitThresholdBoundsAreAccepted() {
        assertEquals(0.0, LoopConfig.read(edited(n -> n.put("early_exit_threshold", 0))).earlyExitThreshold());
        assertEquals(1.0, LoopConfig.read(edited(n -> n.put("early_exit_threshold", 1))).earlyExitThreshold());
    }

    @Test
    void nonPositiveRopeTheta() {
        refused(edited(n -> n.put("rope_theta", 0.0)), "rope_theta", "positive");
    }

    @Test
    void nonPositiveRmsNormEps() {
        refused(edited(n -> n.put("rms_norm_eps", -1e-6)), "rms_norm_eps", "positive");
    }

    @Test
    void unsupportedHiddenAct() {
        refused(edited(n -> n.put("hidden_act", "gelu")), "hidden_act", "'gelu'", "not supported");
    }

    @Test
    void ropeScalingMustBeNull() {
        refused(edited(n -> n.putObject("rope_scaling").put("type", "linear").put("factor", 2.0)),
                "rope_scaling", "not supported");
    }

    @Test
    void slidingWindowIsUnsupported() {
        refused(edited(n -> n.put("use_sliding_window", true)), "use_sliding_window", "not supported");
    }

    @Test
    void slidingAttentionLayerTypeIsUnsupported() {
        refused(edited(n -> n.putArray("layer_types").add("full_attention").add("sliding_attention")),
                "layer_types", "'sliding_attention'", "not supported");
    }

    @Test
    void notJson() {
        refused(write("{\"vocab_size\": 64,"), "not valid JSON");
    }

    @Test
    void trailingContentAfterTheObjectIsNotJson() {
        refused(write(BASE + " {\"vocab_size\": 1}"), "not valid JSON", "more content after the top-level object");
    }

    @Test
    void repeatedKeyIsNotJson() {
        refused(write(BASE.replace("\"vocab_size\": 64,", "\"vocab_size\": 64, \"vocab_size\": 65,")),
                "not valid JSON", "vocab_size");
    }

    @Test
    void emptyFile() {
        refused(write(""), "expected a JSON object");
    }

    @Test
    void arrayAtTopLevel() {
        refused(write("[" + BASE + "]"), "expected a JSON object at the top level");
    }

    @Test
    void missingFile() {
        refused(dir.resolve("config.json"), "file not found");
    }

    @Test
    void folderInsteadOfFile() throws IOException {
        Path folder = Files.createDirectory(dir.resolve("config.json"));
        refused(folder, "cannot read");
    }

    @Test
    void ofBuildsAValidatedConfig() {
        LoopConfig c = LoopConfig.of(java.util.Map.of("vocab_size", 16, "hidden_size", 8, "intermediate_size", 16,
                "num_hidden_layers", 1, "num_attention_heads", 2, "num_key_value_heads", 1, "total_ut_steps", 2));
        assertEquals(4, c.headDim());
        assertEquals(2, c.totalUtSteps());
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> LoopConfig.of(java.util.Map.of(
                "vocab_size", 16, "hidden_size", 8, "intermediate_size", 16, "num_hidden_layers", 1,
                "num_attention_heads", 2, "num_key_value_heads", 1, "total_ut_steps", 0)));
        assertTrue(e.getMessage().contains("total_ut_steps"), e.getMessage());
    }
}
