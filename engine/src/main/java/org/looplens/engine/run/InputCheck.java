package org.looplens.engine.run;

import java.util.List;
import org.looplens.engine.InvalidInputException;
import org.looplens.engine.config.LoopConfig;

/** Refuses token sequences a model cannot run, with the position and the limit in the message. */
final class InputCheck {
    private InputCheck() {}

    static void tokens(LoopConfig c, List<int[]> sequences, int startPosition) {
        if (sequences.isEmpty()) {
            throw new InvalidInputException("input", "no sequences to run");
        }
        for (int s = 0; s < sequences.size(); s++) {
            int[] seq = sequences.get(s);
            String where = sequences.size() == 1 ? "input" : "input sequence " + s;
            if (seq == null || seq.length == 0) {
                throw new InvalidInputException(where, "empty token sequence");
            }
            if (startPosition + seq.length > c.maxPositionEmbeddings()) {
                throw new InvalidInputException(where, (startPosition + seq.length)
                        + " positions exceed the model's context of " + c.maxPositionEmbeddings()
                        + " (max_position_embeddings)");
            }
            for (int i = 0; i < seq.length; i++) {
                if (seq[i] < 0 || seq[i] >= c.vocabSize()) {
                    throw new InvalidInputException(where, "token id " + seq[i] + " at position "
                            + (startPosition + i) + " is outside the vocabulary (vocab_size " + c.vocabSize() + ")");
                }
            }
        }
    }
}
