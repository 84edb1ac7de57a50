package org.looplens.engine.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Map;
import org.looplens.engine.InvalidInputException;

/**
 * The shape of a LoopLM, read from a Hugging Face Ouro {@code config.json}.
 *
 * <p>Field names and defaults follow the official {@code OuroConfig}. Fields LoopLens does not use
 * are kept verbatim (see {@link #json()}), so a checkpoint we write back is still loadable by the
 * official code. Every relation the forward pass relies on is checked here, once, with an error
 * that names the file and the field.
 */
public record LoopConfig(
        int vocabSize,
        int hiddenSize,
        int intermediateSize,
        int numLayers,
        int numHeads,
        int numKvHeads,
        int headDim,
        double ropeTheta,
        double rmsNormEps,
        int totalUtSteps,
        double earlyExitThreshold,
        boolean tieWordEmbeddings,
        int maxPositionEmbeddings,
        ObjectNode json) {

    public static final String FILE_NAME = "config.json";
    /** Strict reads: a second object after the first or a repeated key is an error, not silently dropped. */
    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(SerializationFeature.INDENT_OUTPUT)
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    /** Reads and validates {@code config.json}. */
    public static LoopConfig read(Path file) {
        String source = file.toString();
        JsonNode root;
        try {
            root = MAPPER.readTree(Files.readAllBytes(file));
        } catch (NoSuchFileException e) {
            throw new InvalidInputException(source, "file not found");
        } catch (JsonProcessingException e) {
            throw new InvalidInputException(source, "not valid JSON (" + jsonProblem(e) + ")");
        } catch (IOException e) {
            throw new InvalidInputException(source, "cannot read: " + e.getMessage());
        }
        return fromJson(root, source);
    }

    /** Builds a config from a parsed JSON object; {@code source} names it in errors. */
    public static LoopConfig fromJson(JsonNode root, String source) {
        if (root == null || !root.isObject()) {
            throw new InvalidInputException(source, "expected a JSON object at the top level");
        }
        JsonFields f = new JsonFields(root, source);
        int hidden = f.requiredInt("hidden_size");
        int heads = f.requiredInt("num_attention_heads");
        positive(source, "num_attention_heads", heads);
        positive(source, "hidden_size", hidden);
        if (!f.has("head_dim") && hidden % heads != 0) {
            throw new InvalidInputException(source, "hidden_size " + hidden
                    + " is not divisible by num_attention_heads " + heads + " (and no head_dim is given)");
        }
        LoopConfig c = new LoopConfig(
                f.requiredInt("vocab_size"),
                hidden,
                f.requiredInt("intermediate_size"),
                f.requiredInt("num_hidden_layers"),
                heads,
                f.optionalInt("num_key_value_heads", heads),
                f.optionalInt("head_dim", hidden / heads),
                f.optionalDouble("rope_theta", 10000.0),
                f.optionalDouble("rms_norm_eps", 1e-6),
                f.optionalInt("total_ut_steps", 4),
                f.optionalDouble("early_exit_threshold", 1.0),
                f.optionalBoolean("tie_word_embeddings", false),
                f.optionalInt("max_position_embeddings", 32768),
                ((ObjectNode) root).deepCopy());
        c.validate(source, f);
        return c;
    }

    private void validate(String source, JsonFields f) {
        positive(source, "vocab_size", vocabSize);
        positive(source, "intermediate_size", intermediateSize);
        positive(source, "num_hidden_layers", numLayers);
        positive(source, "num_key_value_heads", numKvHeads);
        positive(source, "head_dim", headDim);
        positive(source, "max_position_embeddings", maxPositionEmbeddings);
        if (numHeads % numKvHeads != 0) {
            throw new InvalidInputException(source, "num_attention_heads " + numHeads
                    + " is not a multiple of num_key_value_heads " + numKvHeads);
        }
        if (headDim % 2 != 0) {
            throw new InvalidInputException(source, "head_dim " + headDim + " must be even for rotary embeddings");
        }
        if (totalUtSteps < 1) {
            throw new InvalidInputException(source, "total_ut_steps must be at least 1, got " + totalUtSteps);
        }
        if (!(ropeTheta > 0) || Double.isInfinite(ropeTheta)) {
            throw new InvalidInputException(source, "rope_theta must be a positive number, got " + ropeTheta);
        }
        if (!(rmsNormEps > 0) || Double.isInfinite(rmsNormEps)) {
            throw new InvalidInputException(source, "rms_norm_eps must be a positive number, got " + rmsNormEps);
        }
        if (!(earlyExitThreshold >= 0 && earlyExitThreshold <= 1)) {
            throw new InvalidInputException(source,
                    "early_exit_threshold must lie in [0, 1], got " + earlyExitThreshold);
        }
        String act = f.optionalString("hidden_act", "silu");
        if (!act.equals("silu")) {
            throw new InvalidInputException(source, "hidden_act '" + act + "' is not supported (Ouro uses silu)");
        }
        if (f.optionalBoolean("use_sliding_window", false)) {
            throw new InvalidInputException(source, "use_sliding_window=true is not supported");
        }
        if (f.has("rope_scaling")) {
            throw new InvalidInputException(source, "rope_scaling is not supported (expected null)");
        }
        JsonNode types = json.get("layer_types");
        if (types != null && types.isArray()) {
            for (Iterator<JsonNode> it = types.elements(); it.hasNext(); ) {
                JsonNode t = it.next();
                if (!"full_attention".equals(t.asText())) {
                    throw new InvalidInputException(source, "layer_types entry '" + t.asText()
                            + "' is not supported (only full_attention)");
                }
            }
        }
    }

    /** Jackson's complaint on one line, without its advice on mapper features. */
    private static String jsonProblem(JsonProcessingException e) {
        String m = e.getOriginalMessage();
        String detail = m == null ? "no detail" : m.replaceAll("\\s+", " ").strip();
        return detail.startsWith("Trailing token") ? "more content after the top-level object" : detail;
    }

    private static void positive(String source, String field, int value) {
        if (value < 1) {
            throw new InvalidInputException(source, "field '" + field + "' must be positive, got " + value);
        }
    }

    /** Width of the query projection output: heads × head_dim (may differ from hidden_size). */
    public int qDim() {
        return numHeads * headDim;
    }

    /** Width of each of the key and value projections: kv heads × head_dim. */
    public int kvDim() {
        return numKvHeads * headDim;
    }

    /** The number of learned parameters, counting a tied head once. */
    public long parameterCount() {
        long h = hiddenSize;
        long perLayer = 4 * h // four RMSNorm weights
                + h * qDim() + 2 * h * kvDim() + (long) qDim() * h // q, k, v, o
                + 3 * h * intermediateSize; // gate, up, down
        long head = tieWordEmbeddings ? 0 : (long) vocabSize * h;
        return (long) vocabSize * h + numLayers * perLayer + h /* final norm */ + h + 1 /* exit gate */ + head;
    }

    /**
     * The JSON this config was read from, with every field (known or not) preserved. Writing it
     * back keeps the checkpoint loadable by the official modeling code.
     */
    @Override
    public ObjectNode json() {
        return json.deepCopy();
    }

    /** The config as indented JSON text. */
    public String toJsonString() {
        try {
            return MAPPER.writeValueAsString(json);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * A new config for the given fields on top of Ouro's defaults; handy for tests and new models.
     * Keys use the Hugging Face names.
     */
    public static LoopConfig of(Map<String, Object> fields) {
        ObjectNode node = MAPPER.createObjectNode();
        node.putArray("architectures").add("OuroForCausalLM");
        node.put("model_type", "ouro");
        node.put("hidden_act", "silu");
        node.put("rms_norm_eps", 1e-6);
        node.put("rope_theta", 10000.0);
        node.put("tie_word_embeddings", false);
        node.put("early_exit_threshold", 1.0);
        node.put("use_sliding_window", false);
        node.putNull("rope_scaling");
        node.put("torch_dtype", "float32");
        fields.forEach((k, v) -> node.set(k, MAPPER.valueToTree(v)));
        return fromJson(node, "config");
    }
}
