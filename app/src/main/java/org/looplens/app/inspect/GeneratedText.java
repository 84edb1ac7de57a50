package org.looplens.app.inspect;

import java.util.Arrays;
import java.util.Optional;
import org.looplens.engine.data.Tokenizer;

/**
 * Turns tokens into text as they arrive. A token's text alone can be wrong: word pieces join with
 * spaces, and a byte-level token may hold half a character. So the whole sequence (prompt
 * included, which gives the first token its leading space) is decoded each time and only the new
 * tail is handed out, holding back a trailing U+FFFD until the rest of its character arrives.
 * Without a tokenizer each token is written {@code #id}.
 */
public final class GeneratedText {
    private final Optional<Tokenizer> tokenizer;
    private int[] tokens;
    private final int promptChars;
    private int written;

    public GeneratedText(Optional<Tokenizer> tokenizer, int[] prompt) {
        this.tokenizer = tokenizer;
        this.tokens = prompt.clone();
        this.promptChars = tokenizer.map(t -> t.decode(prompt).length()).orElse(0);
        this.written = promptChars;
    }

    /** The text this token adds (possibly empty while a character is incomplete). */
    public String append(int token) {
        tokens = Arrays.copyOf(tokens, tokens.length + 1);
        tokens[tokens.length - 1] = token;
        if (tokenizer.isEmpty()) {
            return (tokens.length > 1 ? " " : "") + "#" + token;
        }
        String all = tokenizer.get().decode(tokens);
        int end = all.length();
        while (end > written && all.charAt(end - 1) == '\uFFFD') {
            end--;
        }
        if (end <= written) {
            return "";
        }
        String fresh = all.substring(written, end);
        written = end;
        return fresh;
    }

    /** The text of the prompt and every token so far. */
    public String all() {
        return tokenizer.map(t -> t.decode(tokens)).orElse("");
    }

    /** The generated part of {@link #all()}. */
    public String generated() {
        return tokenizer.map(t -> t.decode(tokens).substring(promptChars)).orElse("");
    }
}
