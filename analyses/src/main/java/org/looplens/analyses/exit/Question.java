package org.looplens.analyses.exit;

import java.util.Arrays;
import org.looplens.engine.data.Example;

/**
 * A prompt with a known next token: the model reads {@code prompt} and should predict
 * {@code answer} at its last position. {@code difficulty} groups questions (hop count, depth).
 */
public record Question(int[] prompt, int answer, int difficulty) {

    public Question {
        if (prompt.length == 0) {
            throw new IllegalArgumentException("a question needs at least one prompt token");
        }
    }

    /** A task example cut before its answer: the first answer token is the label. */
    public static Question of(Example e) {
        return new Question(Arrays.copyOf(e.tokens(), e.answerStart()), e.answer()[0], e.difficulty());
    }
}
