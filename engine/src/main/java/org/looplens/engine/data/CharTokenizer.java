package org.looplens.engine.data;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.looplens.engine.InvalidInputException;
import org.looplens.engine.io.AtomicFiles;

/**
 * A character-level tokenizer: one id per listed character (Unicode code point). Stored beside a
 * checkpoint as {@code looplens-tokenizer.json}: {@code {"type": "char", "tokens": ["a", "b", ...]}}.
 * Small synthetic models use it; real Ouro checkpoints bring a Hugging Face {@code tokenizer.json}.
 */
public final class CharTokenizer implements Tokenizer {
    public static final String FILE_NAME = "looplens-tokenizer.json";
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final List<String> tokens;
    private final Map<Integer, Integer> idOfCodePoint = new HashMap<>();

    public CharTokenizer(List<String> tokens) {
        this.tokens = List.copyOf(tokens);
        for (int i = 0; i < tokens.size(); i++) {
            String t = tokens.get(i);
            if (t.codePointCount(0, t.length()) == 1) {
                idOfCodePoint.putIfAbsent(t.codePointAt(0), i);
            }
        }
    }

    public static CharTokenizer read(Path file) {
        String source = file.toString();
        JsonNode root = org.looplens.engine.io.JsonFiles.tree(file, MAPPER);
        if (root == null || !root.isObject() || !"char".equals(root.path("type").asText())) {
            throw new InvalidInputException(source, "expected {\"type\": \"char\", \"tokens\": [...]}");
        }
        JsonNode list = root.get("tokens");
        if (list == null || !list.isArray() || list.isEmpty()) {
            throw new InvalidInputException(source, "field 'tokens' must be a non-empty array of strings");
        }
        List<String> tokens = new ArrayList<>();
        for (JsonNode t : list) {
            if (!t.isTextual()) {
                throw new InvalidInputException(source, "field 'tokens' holds a non-string entry " + t);
            }
            tokens.add(t.textValue());
        }
        return new CharTokenizer(tokens);
    }

    public void write(Path file) {
        var root = MAPPER.createObjectNode();
        root.put("type", "char");
        var arr = root.putArray("tokens");
        tokens.forEach(arr::add);
        AtomicFiles.writeString(file, root.toPrettyString() + "\n");
    }

    @Override
    public int[] encode(String text) {
        int[] ids = text.codePoints().map(cp -> {
            Integer id = idOfCodePoint.get(cp);
            if (id == null) {
                throw new InvalidInputException("--text", "character '" + Character.toString(cp)
                        + "' is not in the tokenizer's vocabulary");
            }
            return id;
        }).toArray();
        return ids;
    }

    @Override
    public String decode(int token) {
        return token >= 0 && token < tokens.size() ? tokens.get(token) : "<" + token + ">";
    }

    @Override
    public int vocabSize() {
        return tokens.size();
    }
}
