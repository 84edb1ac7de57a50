package org.looplens.app.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.looplens.app.compare.Comparison;
import org.looplens.app.compare.ComparisonReport;
import org.looplens.app.compare.ComparisonResult;
import org.looplens.app.compare.ExperimentSpec;
import org.looplens.app.compare.ExperimentSpecReader;
import org.looplens.app.compare.FlopsCostModel;
import org.looplens.app.compare.LoopAndCotFaithfulness;
import org.looplens.app.compare.MemberResult;
import org.looplens.engine.kernels.CpuKernels;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code looplens compare SPEC.json --out DIR}: trains (or reuses, by spec hash) the models of an
 * experiment spec and writes DIR/report.md and DIR/results.json. Ctrl-C saves the member being
 * trained; the same command again resumes it and keeps the members already trained.
 */
@Command(name = "compare", mixinStandardHelpOptions = true,
        description = "Loop depth versus chain of thought: train or reuse the models of an experiment spec, measure "
                + "accuracy per difficulty, FLOPs and wall time per question, and write report.md and results.json.")
final class CompareCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "SPEC", description = "Experiment spec (JSON; see docs/depth-vs-cot.json).")
    Path specFile;

    @Option(names = "--out", paramLabel = "DIR", required = true,
            description = "Output folder: report.md, results.json, figures/, and models/NAME for the models it trains.")
    Path out;

    @Option(names = "--quiet", description = "No training progress line; only the stage lines.")
    boolean quiet;

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter err = spec.commandLine().getErr();
        ExperimentSpec experiment = ExperimentSpecReader.read(specFile);
        ProgressLine progress = new ProgressLine(err, quiet, System.console() != null);
        Comparison comparison = new Comparison(experiment, out, CpuKernels.shared(), new FlopsCostModel(),
                new LoopAndCotFaithfulness(experiment.evaluation().noiseSigma()), progress, line -> {
                    progress.done();
                    err.println(line);
                    err.flush();
                });
        // Ctrl-C: as in train, the member in training saves a resumable checkpoint before the JVM exits.
        try (CancelOnShutdown onCtrlC = new CancelOnShutdown("looplens-compare-cancel", comparison::cancel, 60)) {
            Optional<ComparisonResult> result;
            try {
                result = comparison.run();
            } finally {
                onCtrlC.workDone();
            }
            progress.done();
            PrintWriter o = spec.commandLine().getOut();
            if (result.isEmpty()) {
                o.println("cancelled; run the same command again to resume");
                return LoopLensCli.OK;
            }
            for (MemberResult m : result.get().members()) {
                o.printf(java.util.Locale.ROOT, "%-20s %-5s accuracy %.3f  %.3e FLOPs/question  %.3f ms/question  (%s)%n",
                        m.name(), m.kind(), m.accuracy(), m.flopsPerQuestion(), m.secondsPerQuestion() * 1e3, m.provenance());
            }
            o.println("wrote " + out.resolve(ComparisonReport.REPORT) + " and " + out.resolve(ComparisonReport.RESULTS));
            return LoopLensCli.OK;
        }
    }
}
