package org.looplens.app.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import org.looplens.analyses.prompts.PromptSet;
import org.looplens.engine.InvalidInputException;
import org.looplens.engine.data.Format;
import org.looplens.engine.data.Split;
import org.looplens.engine.io.AtomicFiles;
import org.looplens.engine.train.TrainingSpecReader;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code looplens analyze prompts}: a prompt set (JSONL) of a task's questions, for the other analyses. */
@Command(name = "prompts", mixinStandardHelpOptions = true,
        description = "Write a task's questions as a prompt set: one JSON line with tokens, label and difficulty each.")
final class PromptsCommand implements Callable<Integer> {
    @Option(names = "--spec", required = true, paramLabel = "SPEC.json", description = "Training spec whose task to draw from.")
    Path spec;

    @Option(names = "--split", paramLabel = "SPLIT", defaultValue = "test", description = "train, validation or test (default test).")
    String split;

    @Option(names = "--count", paramLabel = "N", defaultValue = "256", description = "Questions (default 256).")
    int count;

    @Option(names = "--out", required = true, paramLabel = "FILE.jsonl", description = "Where to write the set.")
    Path out;

    @Spec
    picocli.CommandLine.Model.CommandSpec commandSpec;

    @Override
    public Integer call() {
        if (count < 1 || count > 1_000_000) {
            throw new InvalidInputException("--count", "must lie in 1..1000000, got " + count);
        }
        Split s = switch (split) {
            case "train" -> Split.TRAIN;
            case "validation" -> Split.VALIDATION;
            case "test" -> Split.TEST;
            default -> throw new InvalidInputException("--split", "'" + split + "' is not train, validation or test");
        };
        var examples = TrainingSpecReader.read(spec).task().create().batch(s, 0, count, Format.DIRECT);
        AtomicFiles.writeString(out, examples.stream().map(PromptSet::line).collect(Collectors.joining("\n", "", "\n")));
        commandSpec.commandLine().getOut().println("wrote " + examples.size() + " prompts to " + out);
        return LoopLensCli.OK;
    }
}
