package org.looplens.engine.data;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import org.looplens.engine.InvalidInputException;
import org.looplens.engine.io.JsonFiles;

/**
 * What a Hugging Face checkpoint folder says about its special tokens beside {@code tokenizer.json}:
 * {@code tokenizer_config.json} (bos/eos/pad tokens, add_bos_token, chat_template),
 * {@code special_tokens_map.json} (the same tokens, older layout) and {@code generation_config.json}
 * (bos_token_id, eos_token_id as an int or a list). Missing files and fields are simply absent;
 * unknown fields are ignored, but a field of the wrong type is an error naming the file and field.
 * Where two files name a token, tokenizer_config.json wins, as in transformers.
 */
public record TokenizerSettings(Optional<String> bosToken, Optional<String> eosToken, Optional<String> padToken,
                                Optional<Boolean> addBosToken, Optional<String> chatTemplate,
                                OptionalInt bosTokenId, List<Integer> eosTokenIds) {
    public static final String CONFIG_FILE = "tokenizer_config.json";
    public static final String SPECIAL_TOKENS_FILE = "special_tokens_map.json";
    public static final String GENERATION_FILE = "generation_config.json";
    private static final ObjectMapper MAPPER = new ObjectMapper();

    public TokenizerSettings {
        eosTokenIds = List.copyOf(eosTokenIds);
    }

    /** No file: nothing known. */
    public static TokenizerSettings none() {
        return new TokenizerSettings(Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
                Optional.empty(), OptionalInt.empty(), List.of());
    }

    /** Reads whichever of the three files the folder has. */
    public static TokenizerSettings read(Path dir) {
        JsonNode config = object(dir.resolve(CONFIG_FILE));
        JsonNode map = object(dir.resolve(SPECIAL_TOKENS_FILE));
        JsonNode generation = object(dir.resolve(GENERATION_FILE));
        String cf = dir.resolve(CONFIG_FILE).toString();
        String mf = dir.resolve(SPECIAL_TOKENS_FILE).toString();
        String gf = dir.resolve(GENERATION_FILE).toString();
        Optional<String> bos = token(config, cf, "bos_token").or(() -> token(map, mf, "bos_token"));
        Optional<String> eos = token(config, cf, "eos_token").or(() -> token(map, mf, "eos_token"));
        Optional<String> pad = token(config, cf, "pad_token").or(() -> token(map, mf, "pad_token"));
        Optional<Boolean> addBos = Optional.empty();
        JsonNode add = config.get("add_bos_token");
        if (add != null && !add.isNull()) {
            if (!add.isBoolean()) {
                throw new InvalidInputException(cf, "field 'add_bos_token' must be true or false, got " + add);
            }
            addBos = Optional.of(add.booleanValue());
        }
        Optional<String> template = Optional.empty();
        JsonNode t = config.get("chat_template");
        if (t != null && !t.isNull()) {
            if (!t.isTextual()) {
                // transformers also allows a list of named templates; LoopLens only formats ChatML.
                throw new InvalidInputException(cf, "field 'chat_template' must be a string, got "
                        + (t.isArray() ? "a list" : t.toString()));
            }
            template = Optional.of(t.textValue());
        }
        OptionalInt bosId = OptionalInt.empty();
        JsonNode b = generation.get("bos_token_id");
        if (b != null && !b.isNull()) {
            bosId = OptionalInt.of(id(b, gf, "bos_token_id"));
        }
        List<Integer> eosIds = new ArrayList<>();
        JsonNode e = generation.get("eos_token_id");
        if (e != null && !e.isNull()) {
            if (e.isArray()) {
                for (JsonNode one : e) {
                    eosIds.add(id(one, gf, "eos_token_id"));
                }
            } else {
                eosIds.add(id(e, gf, "eos_token_id"));
            }
        }
        return new TokenizerSettings(bos, eos, pad, addBos, template, bosId, eosIds);
    }

    /** The BOS id: generation_config's bos_token_id, else the id of the named bos token. */
    public OptionalInt bosId(Tokenizer tokenizer) {
        if (bosTokenId.isPresent()) {
            return bosTokenId;
        }
        return bosToken.map(s -> OptionalInt.of(single(tokenizer, s, "bos_token"))).orElse(OptionalInt.empty());
    }

    /** The EOS ids: generation_config's eos_token_id(s), else the id of the named eos token. */
    public List<Integer> eosIds(Tokenizer tokenizer) {
        if (!eosTokenIds.isEmpty()) {
            return eosTokenIds;
        }
        return eosToken.map(s -> List.of(single(tokenizer, s, "eos_token"))).orElse(List.of());
    }

    /** Tokens that end generation: every EOS id, and the eos token if the files name both. */
    public Set<Integer> stopTokens(Tokenizer tokenizer) {
        Set<Integer> stop = new LinkedHashSet<>(eosTokenIds);
        eosToken.ifPresent(s -> stop.add(single(tokenizer, s, "eos_token")));
        return Set.copyOf(stop);
    }

    private static int single(Tokenizer tokenizer, String token, String field) {
        int[] ids = tokenizer.encode(token);
        if (ids.length != 1) {
            throw new InvalidInputException(field, "'" + token + "' is " + ids.length
                    + " tokens in this checkpoint's tokenizer, not one special token");
        }
        return ids[0];
    }

    private static JsonNode object(Path file) {
        if (!Files.isRegularFile(file)) {
            return MAPPER.createObjectNode();
        }
        JsonNode root = JsonFiles.tree(file, MAPPER);
        if (root == null || !root.isObject()) {
            throw new InvalidInputException(file.toString(), "expected a JSON object at the top level");
        }
        return root;
    }

    /** A token written as a string or as an added-token object {@code {"content": "..."}}. */
    private static Optional<String> token(JsonNode root, String file, String field) {
        JsonNode n = root.get(field);
        if (n == null || n.isNull()) {
            return Optional.empty();
        }
        if (n.isTextual()) {
            return Optional.of(n.textValue());
        }
        if (n.isObject() && n.path("content").isTextual()) {
            return Optional.of(n.get("content").textValue());
        }
        throw new InvalidInputException(file, "field '" + field + "' must be a token string or {\"content\": ...}, got " + n);
    }

    private static int id(JsonNode n, String file, String field) {
        if (!n.isIntegralNumber() || !n.canConvertToInt() || n.intValue() < 0) {
            throw new InvalidInputException(file, "field '" + field + "' must be a non-negative token id"
                    + " or a list of them, got " + n);
        }
        return n.intValue();
    }
}
