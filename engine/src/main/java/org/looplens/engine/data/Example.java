package org.looplens.engine.data;

import java.util.Arrays;
import java.util.Objects;

/**
 * One training or evaluation sequence.
 *
 * <p>{@code lossMask} has length {@code tokens.length - 1}, one entry per next-token prediction:
 * {@code lossMask[i]} says whether predicting {@code tokens[i + 1]} from position {@code i} counts
 * in the loss. That is exactly the shape of (inputs, targets) = ({@code tokens[0..n-2]},
 * {@code tokens[1..n-1]}), so a trainer never has to shift or trim the mask.
 *
 * <p>The arrays are shared, not copied, to keep batch building cheap: treat them as read-only.
 *
 * @param tokens the whole sequence, starting with {@code <bos>}
 * @param lossMask which next-token predictions count (see above)
 * @param answerStart index in {@code tokens} of the first answer token
 * @param answer the answer's token ids ({@code tokens[answerStart ..]}, without {@code <eos>})
 * @param difficulty hop count, expression depth, ... (task-specific; 1 for single facts)
 * @param intermediates token ids of the intermediate results in the order they are computed (the
 *     entity after each hop, the value of each sub-expression); the last one is the answer. Empty
 *     when a task has no intermediate steps. Probes of the hidden state at each loop step compare
 *     against these.
 * @param key the question's identity (same question → same key, whatever the split, index or
 *     format); split assignment and leakage checks work on it
 * @param text the tokens as words, for people (and for tokenizer round trips)
 */
public record Example(int[] tokens, boolean[] lossMask, int answerStart, int[] answer, int difficulty,
                      int[] intermediates, String key, String text) {

    public Example {
        Objects.requireNonNull(tokens, "tokens");
        Objects.requireNonNull(lossMask, "lossMask");
        Objects.requireNonNull(answer, "answer");
        Objects.requireNonNull(intermediates, "intermediates");
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(text, "text");
        if (tokens.length < 2) {
            throw new IllegalArgumentException("an example needs at least two tokens, got " + tokens.length);
        }
        if (lossMask.length != tokens.length - 1) {
            throw new IllegalArgumentException("lossMask has " + lossMask.length + " entries for "
                    + tokens.length + " tokens; expected " + (tokens.length - 1));
        }
        if (answerStart < 1 || answerStart + answer.length > tokens.length) {
            throw new IllegalArgumentException("answer of " + answer.length + " tokens at " + answerStart
                    + " does not fit in " + tokens.length + " tokens");
        }
        for (int i = 0; i < answer.length; i++) {
            if (tokens[answerStart + i] != answer[i]) {
                throw new IllegalArgumentException("answer token " + i + " is " + answer[i]
                        + " but the sequence holds " + tokens[answerStart + i]);
            }
        }
    }

    public int length() {
        return tokens.length;
    }

    /** Number of predictions that count in the loss. */
    public int lossCount() {
        int n = 0;
        for (boolean b : lossMask) {
            if (b) {
                n++;
            }
        }
        return n;
    }

    /** Records compare arrays by identity; examples are values, so compare contents. */
    @Override
    public boolean equals(Object o) {
        return o instanceof Example e
                && Arrays.equals(tokens, e.tokens)
                && Arrays.equals(lossMask, e.lossMask)
                && answerStart == e.answerStart
                && Arrays.equals(answer, e.answer)
                && difficulty == e.difficulty
                && Arrays.equals(intermediates, e.intermediates)
                && key.equals(e.key)
                && text.equals(e.text);
    }

    @Override
    public int hashCode() {
        return Objects.hash(Arrays.hashCode(tokens), Arrays.hashCode(lossMask), answerStart,
                Arrays.hashCode(answer), difficulty, Arrays.hashCode(intermediates), key, text);
    }

    @Override
    public String toString() {
        return "Example[" + text + ", answerStart=" + answerStart + ", difficulty=" + difficulty + ", key=" + key + "]";
    }
}
