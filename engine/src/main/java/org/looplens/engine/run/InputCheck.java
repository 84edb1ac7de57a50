package org.looplens.engine.run;

import java.util.List;
import org.looplens.engine.InvalidInputException;
import org.looplens.engine.config.LoopConfig;

/** Refuses token sequences a model cannot run, with the position and the limit in the message. */
public final class InputCheck {
    private InputCheck() {}

    /**
     * Checks one sequence that starts at {@code startPosition}; {@code source} names where the
     * tokens came from (an option, a file) in the message.
     */
    public static void tokens(LoopConfig c, int[] seq, int startPosition, String source) {
        if (seq == null || seq.length == 0) {
            throw new InvalidInputException(source, "empty token sequence");
        }
        if ((long) startPosition + seq.length > c.maxPositionEmbeddings()) {
            throw new InvalidInputException(source, (startPosition + seq.length)
                    + " positions exceed the model's context (max_position_embeddings "
                    + c.maxPositionEmbeddings() + ")");
        }
        for (int i = 0; i < seq.length; i++) {
            if (seq[i] < 0 || seq[i] >= c.vocabSize()) {
                throw new InvalidInputException(source, "token id " + seq[i] + " at position "
                        + (startPosition + i) + " is outside the vocabulary (vocab_size " + c.vocabSize() + ")");
            }
        }
    }

    static void tokens(LoopConfig c, List<int[]> sequences, int startPosition) {
        if (sequences.isEmpty()) {
            throw new InvalidInputException("input", "no sequences to run");
        }
        for (int s = 0; s < sequences.size(); s++) {
            tokens(c, sequences.get(s), startPosition, sequences.size() == 1 ? "input" : "input sequence " + s);
        }
    }
}
