package org.looplens.engine.data;

/** Text ↔ token ids for a checkpoint. */
public interface Tokenizer {

    /** Token ids of a text; throws {@link org.looplens.engine.InvalidInputException} for text it cannot encode. */
    int[] encode(String text);

    /** The text of one token, for display. */
    String decode(int token);

    /** Number of ids this tokenizer can produce. */
    int vocabSize();
}
