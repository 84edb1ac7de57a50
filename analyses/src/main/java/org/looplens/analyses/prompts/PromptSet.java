package org.looplens.analyses.prompts;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import org.looplens.analyses.exit.Question;
import org.looplens.engine.InvalidInputException;
import org.looplens.engine.data.Example;

/**
 * A list of prompts for an analysis, one JSON object per line:
 * {@code {"text": "...", "label": "...", "counterfactual": "...", "counterfactual_label": "...",
 * "difficulty": 2}} or with {@code "tokens": [..]} and numeric labels instead of text. {@code label}
 * is the token the prompt should be followed by; {@code counterfactual} a corrupted prompt of the
 * same length, for patching, and {@code counterfactual_label} the token it should be followed by. Unknown fields and malformed lines are errors naming the file and the line.
 */
public final class PromptSet {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<String> FIELDS = Set.of("text", "tokens", "label", "counterfactual",
            "counterfactual_tokens", "counterfactual_label", "difficulty", "key");

    /** One prompt, resolved to token ids; no counterfactual: null and label −1. */
    public record Prompt(int[] tokens, int label, int[] counterfactual, int counterfactualLabel, int difficulty) {
        public Question question() {
            return new Question(tokens, label, difficulty);
        }
    }

    private PromptSet() {}

    /**
     * Reads a prompt set; {@code encode} turns text into token ids (the checkpoint's tokenizer),
     * and a text label must encode to exactly one token.
     */
    public static List<Prompt> read(Path file, Function<String, int[]> encode) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new InvalidInputException(file.toString(), "cannot read the prompt set: " + e.getMessage());
        }
        List<Prompt> out = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).isBlank()) {
                continue;
            }
            String where = file + ":" + (i + 1);
            JsonNode n;
            try {
                n = JSON.readTree(lines.get(i));
            } catch (IOException e) {
                throw new InvalidInputException(where, "not a JSON object: " + e.getMessage().lines().findFirst().orElse(""));
            }
            if (!(n instanceof ObjectNode obj)) {
                throw new InvalidInputException(where, "not a JSON object");
            }
            obj.fieldNames().forEachRemaining(f -> {
                if (!FIELDS.contains(f)) {
                    throw new InvalidInputException(where, "unknown field '" + f + "'; expected " + FIELDS);
                }
            });
            int[] tokens = tokens(obj, "text", "tokens", where, encode);
            if (tokens == null) {
                throw new InvalidInputException(where, "needs 'text' or 'tokens'");
            }
            if (!obj.has("label")) {
                throw new InvalidInputException(where, "needs a 'label' (the token that should follow)");
            }
            int label = label(obj.get("label"), where, encode);
            int[] counterfactual = tokens(obj, "counterfactual", "counterfactual_tokens", where, encode);
            if (obj.has("counterfactual_label") && counterfactual == null) {
                throw new InvalidInputException(where, "'counterfactual_label' needs a 'counterfactual' prompt");
            }
            int counterfactualLabel = obj.has("counterfactual_label")
                    ? label(obj.get("counterfactual_label"), where, encode) : -1;
            out.add(new Prompt(tokens, label, counterfactual, counterfactualLabel, obj.path("difficulty").asInt(1)));
        }
        if (out.isEmpty()) {
            throw new InvalidInputException(file.toString(), "the prompt set is empty");
        }
        return out;
    }

    private static int[] tokens(ObjectNode obj, String textField, String idsField, String where,
                                Function<String, int[]> encode) {
        if (obj.has(textField) && obj.has(idsField)) {
            throw new InvalidInputException(where, "give '" + textField + "' or '" + idsField + "', not both");
        }
        if (obj.has(textField)) {
            return encoded(obj.get(textField).asText(), textField, where, encode);
        }
        if (!obj.has(idsField)) {
            return null;
        }
        JsonNode ids = obj.get(idsField);
        if (!ids.isArray() || ids.isEmpty()) {
            throw new InvalidInputException(where, "'" + idsField + "' must be a non-empty array of token ids");
        }
        int[] t = new int[ids.size()];
        for (int k = 0; k < t.length; k++) {
            if (!ids.get(k).canConvertToInt()) {
                throw new InvalidInputException(where, "'" + idsField + "'[" + k + "] is not a token id");
            }
            t[k] = ids.get(k).asInt();
        }
        return t;
    }

    private static int label(JsonNode label, String where, Function<String, int[]> encode) {
        if (label.canConvertToInt()) {
            return label.asInt();
        }
        int[] ids = encoded(label.asText(), "label", where, encode);
        if (ids.length != 1) {
            throw new InvalidInputException(where, "label '" + label.asText() + "' is " + ids.length + " tokens, not one");
        }
        return ids[0];
    }

    /** The tokenizer's ids for a field; its refusal (a word not in the vocabulary) names the file and line. */
    private static int[] encoded(String text, String field, String where, Function<String, int[]> encode) {
        try {
            return encode.apply(text);
        } catch (InvalidInputException e) {
            throw new InvalidInputException(where, "'" + field + "': " + e.problem(), e);
        }
    }

    /** A task example as a prompt-set line: the question's tokens, its answer and its hop count. */
    public static String line(Example e) {
        return node(e).toString();
    }

    /** The line with a counterfactual prompt and its answer, for patching. */
    public static String line(Example e, Counterfactual c) {
        ObjectNode n = node(e);
        var tokens = n.putArray("counterfactual_tokens");
        for (int t : c.tokens()) {
            tokens.add(t);
        }
        n.put("counterfactual_label", c.label());
        return n.toString();
    }

    private static ObjectNode node(Example e) {
        ObjectNode n = JSON.createObjectNode();
        var tokens = n.putArray("tokens");
        for (int k = 0; k < e.answerStart(); k++) {
            tokens.add(e.tokens()[k]);
        }
        n.put("label", e.answer()[0]);
        n.put("difficulty", e.difficulty());
        n.put("key", e.key());
        return n;
    }
}
