package org.looplens.app.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.looplens.engine.InvalidInputException;
import org.looplens.engine.config.LoopConfig;
import org.looplens.engine.data.CharTokenizer;
import org.looplens.engine.io.DType;
import org.looplens.engine.model.Checkpoint;
import org.looplens.engine.model.LoopModel;
import org.looplens.engine.model.RandomInit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code looplens init}: a new checkpoint with freshly initialised weights for a config. */
@Command(name = "init", mixinStandardHelpOptions = true,
        description = "Write a checkpoint with seeded random weights for a config.json (untrained).")
final class InitCommand implements Callable<Integer> {
    @Option(names = "--config", required = true, paramLabel = "FILE", description = "A Hugging Face Ouro config.json.")
    Path config;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Checkpoint folder to write.")
    Path out;

    @Option(names = "--seed", defaultValue = "0", description = "Random seed (default 0).")
    long seed;

    @Option(names = "--chars", paramLabel = "STR",
            description = "Write a character tokenizer whose ids are the characters of STR, in order.")
    String chars;

    @Option(names = "--dtype", defaultValue = "F32", description = "Weight dtype: F32 or BF16 (default F32).")
    String dtype;

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        LoopConfig c = LoopConfig.read(config);
        DType type = switch (dtype.toUpperCase()) {
            case "F32" -> DType.F32;
            case "BF16" -> DType.BF16;
            default -> throw new InvalidInputException("--dtype", "'" + dtype + "' is not F32 or BF16");
        };
        CharTokenizer tokenizer = null;
        if (chars != null) {
            List<String> tokens = new ArrayList<>();
            chars.codePoints().forEach(cp -> tokens.add(Character.toString(cp)));
            if (tokens.size() != c.vocabSize()) {
                throw new InvalidInputException("--chars", tokens.size() + " characters given, but vocab_size is "
                        + c.vocabSize());
            }
            tokenizer = new CharTokenizer(tokens);
        }
        LoopModel model = RandomInit.create(c, seed);
        Checkpoint.save(model, out, type);
        if (tokenizer != null) {
            tokenizer.write(out.resolve(CharTokenizer.FILE_NAME));
        }
        spec.commandLine().getOut().printf("wrote %s: %,d parameters, %d layers × %d steps%n", out,
                c.parameterCount(), c.numLayers(), c.totalUtSteps());
        return LoopLensCli.OK;
    }
}
