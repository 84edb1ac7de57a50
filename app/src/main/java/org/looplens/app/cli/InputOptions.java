package org.looplens.app.cli;

import java.nio.file.Path;
import org.looplens.app.inspect.TokenIds;
import org.looplens.engine.InvalidInputException;
import org.looplens.engine.config.LoopConfig;
import org.looplens.engine.data.Tokenizer;
import org.looplens.engine.data.Tokenizers;
import org.looplens.engine.run.InputCheck;
import picocli.CommandLine.Option;

/** {@code --tokens 1,2,3} or {@code --text STR}: exactly one of them. */
final class InputOptions {
    @Option(names = "--tokens", paramLabel = "IDS", description = "Comma-separated token ids, e.g. 32,49,39.")
    String tokens;

    @Option(names = "--text", paramLabel = "STR", description = "Text, encoded with the checkpoint's tokenizer.")
    String text;

    /**
     * The token ids of the input, checked against the model's vocabulary and context so that a
     * bad id is reported against the option that gave it.
     */
    int[] resolve(Path checkpoint, LoopConfig config) {
        int[] ids = resolve(checkpoint);
        InputCheck.tokens(config, ids, 0, (tokens != null ? "--tokens" : "--text") + " for " + checkpoint);
        return ids;
    }

    private int[] resolve(Path checkpoint) {
        if ((tokens == null) == (text == null)) {
            throw new InvalidInputException("input", "give exactly one of --tokens or --text");
        }
        if (tokens != null) {
            return TokenIds.parse(tokens);
        }
        Tokenizer tok = Tokenizers.forCheckpoint(checkpoint).orElseThrow(() -> new InvalidInputException(
                checkpoint.toString(), "no tokenizer LoopLens can read in this checkpoint; use --tokens"));
        int[] ids = tok.encode(text);
        if (ids.length == 0) {
            throw new InvalidInputException("--text", "empty input");
        }
        return ids;
    }
}
