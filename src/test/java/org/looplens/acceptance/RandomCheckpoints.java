package org.looplens.acceptance;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.looplens.app.cli.LoopLensCli;

/** Checkpoints of seeded random weights, made the way a user makes them: {@code looplens init}. */
final class RandomCheckpoints {
    private RandomCheckpoints() {}

    /**
     * Writes {@code configJson} beside {@code folder} and runs {@code looplens init} into the
     * folder with the extra options (e.g. {@code --seed 3}, {@code --dtype BF16}).
     */
    static Path init(Path folder, String configJson, String... options) throws IOException {
        Path config = Files.writeString(folder.resolveSibling(folder.getFileName() + ".config.json"), configJson);
        List<String> args = new ArrayList<>(List.of("init", "--config", config.toString(), "--out", folder.toString()));
        args.addAll(List.of(options));
        StringWriter err = new StringWriter();
        assertEquals(0, LoopLensCli.execute(args.toArray(String[]::new), new PrintWriter(new StringWriter()),
                new PrintWriter(err)), err::toString);
        return folder;
    }
}
