package org.looplens.app.inspect;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.looplens.engine.data.Tokenizer;
import org.looplens.engine.data.TokenizerSettings;
import org.looplens.engine.data.Tokenizers;
import org.looplens.engine.model.Checkpoint;
import org.looplens.engine.model.LoopModel;

/**
 * A loaded checkpoint with what a reader of it needs beside the weights: its tokenizer (if
 * LoopLens can read one there) and the warnings the load produced.
 */
public record OpenCheckpoint(Path dir, LoopModel model, Optional<Tokenizer> tokenizer) {

    public static OpenCheckpoint open(Path dir) {
        LoopModel model = Checkpoint.load(dir);
        return new OpenCheckpoint(dir, model, Tokenizers.forCheckpoint(dir));
    }

    /** What tokenizer_config.json, special_tokens_map.json and generation_config.json say. */
    public TokenizerSettings tokenizerSettings() {
        return TokenizerSettings.read(dir);
    }

    /** The tokens that end generation (EOS ids); empty when the checkpoint names none. */
    public Set<Integer> stopTokens() {
        TokenizerSettings s = tokenizerSettings();
        if (tokenizer.isEmpty()) {
            return Set.copyOf(s.eosTokenIds());
        }
        return s.stopTokens(tokenizer.get());
    }

    public List<String> warnings() {
        return model.warnings();
    }

    /** A token as text for labels: the tokenizer's decoding, or {@code #id} without one. */
    public String tokenText(int id) {
        return tokenizer.map(t -> t.decode(id).replace("\n", "\\n")).orElse("#" + id);
    }

    /**
     * One token given as an id or as text that encodes to exactly one token (e.g. "e11");
     * {@code field} names the option or control in the error.
     */
    public int token(String spec, String field) {
        String trimmed = spec.trim();
        try {
            int id = Integer.parseInt(trimmed);
            if (id < 0 || id >= model.config().vocabSize()) {
                throw new org.looplens.engine.InvalidInputException(field, "token id " + id + " is outside the vocabulary 0.."
                        + (model.config().vocabSize() - 1));
            }
            return id;
        } catch (NumberFormatException notAnId) {
            int[] ids = tokenizer.orElseThrow(() -> new org.looplens.engine.InvalidInputException(field,
                    "'" + spec + "' is not a token id, and the checkpoint has no tokenizer")).encode(trimmed);
            if (ids.length != 1) {
                throw new org.looplens.engine.InvalidInputException(field, "'" + spec + "' is " + ids.length + " tokens, not one");
            }
            return ids[0];
        }
    }

    /** The folder's name, for lists and titles. */
    public String name() {
        Path f = dir.getFileName();
        return f == null ? dir.toString() : f.toString();
    }
}
