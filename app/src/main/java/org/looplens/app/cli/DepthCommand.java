package org.looplens.app.cli;

import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import org.looplens.analyses.NpyWriter;
import org.looplens.analyses.exit.DepthSweep;
import org.looplens.analyses.exit.DepthSweeps;
import org.looplens.app.figures.DepthSweepFigure;
import org.looplens.app.inspect.OpenCheckpoint;
import org.looplens.engine.InvalidInputException;
import org.looplens.engine.kernels.CpuKernels;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code looplens analyze depth}: accuracy from 1 loop step to twice the trained T, collapse flagged. */
@Command(name = "depth", mixinStandardHelpOptions = true,
        description = "Accuracy at every loop depth from 1 to twice the trained T (extrapolation), with collapse flagged.")
final class DepthCommand extends AnalysisCommand {
    @Mixin
    CheckpointOption checkpoint;

    @Mixin
    QuestionOptions source;

    @Option(names = "--max-steps", paramLabel = "T", description = "Deepest run (default: twice the trained T).")
    Integer maxSteps;



    @Override
    AnalysisResult analyse(CheckpointOpener opener) {
        OpenCheckpoint open = checkpoint.open(opener);
        int trained = open.model().config().totalUtSteps();
        int max = maxSteps == null ? 2 * trained : maxSteps;
        if (max < trained || max > 64) {
            throw new InvalidInputException("--max-steps", "must lie in " + trained + "..64 (the trained T up), got " + max);
        }
        DepthSweep sweep = DepthSweeps.sweep(open.model(), CpuKernels.shared(), source.load(open), max);
        long collapses = java.util.stream.IntStream.range(0, max).filter(i -> sweep.collapsed()[i]).count();
        return new AnalysisResult(DepthSweepFigure.of(sweep), Map.of(
                "steps", NpyWriter.npy(Arrays.stream(sweep.steps()).asDoubleStream().toArray()),
                "accuracy", NpyWriter.npy(sweep.accuracy()),
                "mean_entropy", NpyWriter.npy(sweep.meanEntropy())),
                String.format(Locale.ROOT, "accuracy over %d questions: %.3f at 1 step, %.3f at the trained %d, %.3f at %d%s",
                        sweep.questions(), sweep.accuracy()[0], sweep.accuracy()[trained - 1], trained,
                        sweep.accuracy()[max - 1], max, collapses > 0 ? " (collapse at " + collapses + " depths)" : ""));
    }
}
