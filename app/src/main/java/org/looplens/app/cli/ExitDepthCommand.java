package org.looplens.app.cli;

import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import org.looplens.analyses.NpyWriter;
import org.looplens.analyses.exit.ExitDepthByDifficulty;
import org.looplens.app.figures.ExitDepthFigure;
import org.looplens.app.inspect.OpenCheckpoint;
import org.looplens.engine.kernels.CpuKernels;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code looplens analyze exit-depth}: loop steps used against question difficulty (hop count). */
@Command(name = "exit-depth", mixinStandardHelpOptions = true,
        description = "Per difficulty (hop count): the mean expected depth under the learned exit distribution at the "
                + "answer position, the mean oracle exit (first step whose answer is final) and the mean Q-exit depth.")
final class ExitDepthCommand extends AnalysisCommand {
    @Mixin
    CheckpointOption checkpoint;

    @Mixin
    QuestionOptions source;

    @Mixin
    QThresholdOption q;

    @Override
    AnalysisResult analyse(CheckpointOpener opener) {
        OpenCheckpoint open = checkpoint.open(opener);
        double threshold = q.resolve(open.model().config());
        ExitDepthByDifficulty d = ExitDepthByDifficulty.measure(open.model(), CpuKernels.shared(), source.load(open),
                threshold);
        StringBuilder summary = new StringBuilder();
        for (int i = 0; i < d.difficulty().length; i++) {
            summary.append(String.format(Locale.ROOT, "difficulty %d (%d questions): expected depth %.3f, oracle %.3f, "
                    + "Q-exit@%s %.3f, accuracy %.3f%n", d.difficulty()[i], d.count()[i], d.meanExpectedDepth()[i],
                    d.meanOracleDepth()[i], threshold, d.meanQExitDepth()[i], d.accuracy()[i]));
        }
        return new AnalysisResult(ExitDepthFigure.of(d), Map.of(
                "difficulty", NpyWriter.npy(Arrays.stream(d.difficulty()).asDoubleStream().toArray()),
                "questions", NpyWriter.npy(Arrays.stream(d.count()).asDoubleStream().toArray()),
                "mean_expected_depth", NpyWriter.npy(d.meanExpectedDepth()),
                "mean_oracle_depth", NpyWriter.npy(d.meanOracleDepth()),
                "mean_q_exit_depth", NpyWriter.npy(d.meanQExitDepth()),
                "accuracy", NpyWriter.npy(d.accuracy())), summary.toString().strip());
    }
}
