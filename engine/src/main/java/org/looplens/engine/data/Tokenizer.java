package org.looplens.engine.data;

/** Text ↔ token ids for a checkpoint. */
public interface Tokenizer {

    /** Token ids of a text; throws {@link org.looplens.engine.InvalidInputException} for text it cannot encode. */
    int[] encode(String text);

    /** The text of one token, for display. */
    String decode(int token);

    /** The text of a token sequence; tokenizers whose pieces join with spaces or bytes override it. */
    default String decode(int[] tokens) {
        StringBuilder sb = new StringBuilder();
        for (int t : tokens) {
            sb.append(decode(t));
        }
        return sb.toString();
    }

    /** Number of ids this tokenizer can produce. */
    int vocabSize();
}
