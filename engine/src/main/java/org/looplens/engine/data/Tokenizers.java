package org.looplens.engine.data;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/** Finds the tokenizer stored beside a checkpoint, if there is one LoopLens can read. */
public final class Tokenizers {
    private Tokenizers() {}

    public static Optional<Tokenizer> forCheckpoint(Path dir) {
        Path own = dir.resolve(CharTokenizer.FILE_NAME);
        if (Files.isRegularFile(own)) {
            return Optional.of(CharTokenizer.read(own));
        }
        return Optional.empty();
    }
}
