package org.looplens.app.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import org.looplens.engine.model.LoopModel;
import org.looplens.engine.run.RunOptions;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** What the commands that run one sequence share: the checkpoint, the input and {@code --steps}. */
final class SequenceOptions {
    @Mixin
    CheckpointOption checkpoint;

    @ArgGroup(exclusive = false, multiplicity = "1")
    InputOptions input;

    @Option(names = "--steps", paramLabel = "T", description = "Loop steps to run (default: the trained total_ut_steps).")
    Integer steps;

    Path dir() {
        return checkpoint.dir;
    }

    /** Loads the model, printing its load-time warnings. */
    LoopModel load(PrintWriter err) {
        return checkpoint.load(err);
    }

    /** The input's token ids, checked against the model. */
    int[] tokens(LoopModel model) {
        return input.resolve(checkpoint.dir, model.config());
    }

    /** Default run options with {@code --steps} applied. */
    RunOptions options() {
        return StepsOption.apply(RunOptions.defaults(), steps);
    }
}
