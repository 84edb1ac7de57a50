package org.looplens.app.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.looplens.analyses.prompts.Counterfactual;
import org.looplens.analyses.prompts.PromptSet;
import org.looplens.engine.InvalidInputException;
import org.looplens.engine.data.Example;
import org.looplens.engine.data.Format;
import org.looplens.engine.data.MultiHopTask;
import org.looplens.engine.data.Split;
import org.looplens.engine.data.Task;
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

    @Option(names = "--counterfactual", description = "Add a corrupted prompt and its answer to each line, for"
            + " patching: multi-hop tasks keep the relation chain and change the start entity.")
    boolean counterfactual;

    @Option(names = "--seed", paramLabel = "S", defaultValue = "0", description = "Seed of the counterfactual starts (default 0).")
    long seed;

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
        Task task = TrainingSpecReader.read(spec).task().create();
        var examples = task.batch(s, 0, count, Format.DIRECT);
        Function<Example, String> line = PromptSet::line;
        if (counterfactual) {
            if (!(task instanceof MultiHopTask multiHop)) {
                throw new InvalidInputException("--counterfactual", "counterfactuals are defined for multi-hop tasks;"
                        + " this spec's task is " + task.name());
            }
            line = e -> PromptSet.line(e, Counterfactual.multiHop(multiHop, e, seed));
        }
        AtomicFiles.writeString(out, examples.stream().map(line).collect(Collectors.joining("\n", "", "\n")));
        commandSpec.commandLine().getOut().println("wrote " + examples.size() + " prompts to " + out);
        return LoopLensCli.OK;
    }
}
