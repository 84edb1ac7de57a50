package org.looplens.app.cli;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.looplens.analyses.NpyWriter;
import org.looplens.analyses.exit.ExitSweep;
import org.looplens.analyses.exit.ExitSweeps;
import org.looplens.analyses.exit.Question;
import org.looplens.app.figures.ExitSweepFigure;
import org.looplens.app.inspect.OpenCheckpoint;
import org.looplens.engine.InvalidInputException;
import org.looplens.engine.kernels.CpuKernels;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code looplens analyze exit-sweep}: Q-exit accuracy and depth as q goes from 0 to 1. */
@Command(name = "exit-sweep", mixinStandardHelpOptions = true,
        description = "Accuracy and mean loop steps under Q-exit for q from 0 to 1, on questions of a task spec.")
final class ExitSweepCommand extends AnalysisCommand {
    @Mixin
    CheckpointOption checkpoint;

    @Mixin
    QuestionOptions source;

    @Option(names = "--points", paramLabel = "N", defaultValue = "11", description = "Values of q from 0 to 1 (default 11).")
    int points;



    @Override
    AnalysisResult analyse(CheckpointOpener opener) {
        if (points < 2 || points > 101) {
            throw new InvalidInputException("--points", "must lie in 2..101, got " + points);
        }
        OpenCheckpoint open = checkpoint.open(opener);
        List<Question> qs = source.load(open);
        ExitSweep sweep = ExitSweeps.qSweep(open.model(), CpuKernels.shared(), qs, ExitSweeps.grid(points));
        return new AnalysisResult(ExitSweepFigure.of(sweep), Map.of(
                "q", NpyWriter.npy(sweep.q()),
                "accuracy", NpyWriter.npy(sweep.accuracy()),
                "mean_depth", NpyWriter.npy(sweep.meanDepth())),
                String.format(Locale.ROOT, "Q-exit over %d questions: accuracy %.3f at q=0 (%.2f steps) to %.3f at q=1"
                        + " (%.2f steps); all steps %.3f", sweep.questions(), sweep.accuracy()[0], sweep.meanDepth()[0],
                        sweep.accuracy()[points - 1], sweep.meanDepth()[points - 1], sweep.lastStepAccuracy()));
    }
}
