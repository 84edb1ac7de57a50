package org.looplens.app.cli;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Spec;

/**
 * An {@code analyze} subcommand: options in, an {@link AnalysisResult} out. The CLI writes the
 * result to {@code --out}; the workbench runs the same {@link #analyse} and shows the figure, so
 * the two can never disagree.
 */
abstract class AnalysisCommand implements Callable<Integer> {
    @Mixin
    AnalysisOutput out;

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    /** Computes the analysis; {@code opener} supplies the checkpoint named by the options. */
    abstract AnalysisResult analyse(CheckpointOpener opener);

    @Override
    public final Integer call() {
        PrintWriter err = spec.commandLine().getErr();
        out.require();
        AnalysisResult result = analyse(dir -> CheckpointOption.open(dir, err));
        out.write(result.figure(), result.arrays());
        spec.commandLine().getOut().println(result.summary() + "; wrote " + out);
        return LoopLensCli.OK;
    }
}
