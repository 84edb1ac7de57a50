package org.looplens.app.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.looplens.analyses.NpyWriter;
import org.looplens.analyses.exit.ExitSweep;
import org.looplens.analyses.exit.ExitSweeps;
import org.looplens.analyses.exit.Question;
import org.looplens.analyses.prompts.PromptSet;
import org.looplens.app.inspect.PromptInspection;
import org.looplens.app.figures.ExitSweepFigure;
import org.looplens.app.inspect.OpenCheckpoint;
import org.looplens.engine.InvalidInputException;
import org.looplens.engine.data.Format;
import org.looplens.engine.data.Split;
import org.looplens.engine.kernels.CpuKernels;
import org.looplens.engine.train.TrainingSpecReader;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code looplens analyze exit-sweep}: Q-exit accuracy and depth as q goes from 0 to 1. */
@Command(name = "exit-sweep", mixinStandardHelpOptions = true,
        description = "Accuracy and mean loop steps under Q-exit for q from 0 to 1, on questions of a task spec.")
final class ExitSweepCommand implements Callable<Integer> {
    @Option(names = {"-c", "--checkpoint"}, required = true, paramLabel = "DIR", description = "Checkpoint folder.")
    Path checkpoint;

    @Option(names = "--spec", paramLabel = "SPEC.json",
            description = "Training spec whose task supplies the questions (e.g. the one the checkpoint was trained with).")
    Path spec;

    @Option(names = "--prompts", paramLabel = "FILE.jsonl", description = "A prompt set (text or tokens, and label per line).")
    Path prompts;

    @Option(names = "--split", paramLabel = "SPLIT", defaultValue = "test", description = "validation or test (default test).")
    String split;

    @Option(names = "--questions", paramLabel = "N", defaultValue = "512", description = "Questions (default 512).")
    int questions;

    @Option(names = "--points", paramLabel = "N", defaultValue = "11", description = "Values of q from 0 to 1 (default 11).")
    int points;

    @Option(names = "--out", required = true, paramLabel = "FILE",
            description = "Result as .json, .csv, .npz, or the curve as .png, .svg or .pdf.")
    Path out;

    @Spec
    picocli.CommandLine.Model.CommandSpec commandSpec;

    @Override
    public Integer call() {
        PrintWriter err = commandSpec.commandLine().getErr();
        if (questions < 1 || questions > 100_000) {
            throw new InvalidInputException("--questions", "must lie in 1..100000, got " + questions);
        }
        if (points < 2 || points > 101) {
            throw new InvalidInputException("--points", "must lie in 2..101, got " + points);
        }
        Split s = switch (split) {
            case "validation" -> Split.VALIDATION;
            case "test" -> Split.TEST;
            default -> throw new InvalidInputException("--split", "'" + split + "' is not validation or test");
        };
        if ((spec == null) == (prompts == null)) {
            throw new InvalidInputException("--spec/--prompts", "give exactly one source of questions");
        }
        OpenCheckpoint open = OpenCheckpoint.open(checkpoint);
        open.warnings().forEach(w -> err.println("warning: " + w));
        List<Question> qs = spec != null
                ? TrainingSpecReader.read(spec).task().create().batch(s, 0, questions, Format.DIRECT).stream()
                        .map(Question::of).toList()
                : PromptSet.read(prompts, text -> PromptInspection.tokens(open, text, null)).stream()
                        .map(PromptSet.Prompt::question).toList();
        ExitSweep sweep = ExitSweeps.qSweep(open.model(), CpuKernels.shared(), qs, ExitSweeps.grid(points));
        write(sweep);
        commandSpec.commandLine().getOut().printf(Locale.ROOT, "Q-exit over %d questions: accuracy %.3f at q=0 (%.2f steps)"
                + " to %.3f at q=1 (%.2f steps); all steps %.3f; wrote %s%n", sweep.questions(), sweep.accuracy()[0],
                sweep.meanDepth()[0], sweep.accuracy()[points - 1], sweep.meanDepth()[points - 1], sweep.lastStepAccuracy(), out);
        return LoopLensCli.OK;
    }

    private void write(ExitSweep sweep) {
        AnalysisOutput.write(out, ExitSweepFigure.of(sweep), Map.of(
                "q", NpyWriter.npy(sweep.q()),
                "accuracy", NpyWriter.npy(sweep.accuracy()),
                "mean_depth", NpyWriter.npy(sweep.meanDepth())));
    }
}
