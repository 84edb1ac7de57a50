package org.looplens.engine.data;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Finds the tokenizer stored beside a checkpoint, if there is one LoopLens can read. LoopLens's
 * own {@code looplens-tokenizer.json} wins (it is written on purpose for this checkpoint); then a
 * Hugging Face {@code tokenizer.json}, as real Ouro checkpoints and trained task models carry.
 */
public final class Tokenizers {
    private Tokenizers() {}

    public static Optional<Tokenizer> forCheckpoint(Path dir) {
        Path own = dir.resolve(CharTokenizer.FILE_NAME);
        if (Files.isRegularFile(own)) {
            return Optional.of(CharTokenizer.read(own));
        }
        Path hf = dir.resolve(HfTokenizer.FILE_NAME);
        if (Files.isRegularFile(hf)) {
            return Optional.of(HfTokenizer.load(hf));
        }
        return Optional.empty();
    }
}
