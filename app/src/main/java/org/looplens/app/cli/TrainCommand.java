package org.looplens.app.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.looplens.engine.kernels.CpuKernels;
import org.looplens.engine.train.Trainer;
import org.looplens.engine.train.TrainingOutcome;
import org.looplens.engine.train.TrainingSpecReader;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code looplens train SPEC.json}: runs a training spec with a live progress line. Running it
 * again on the same folder resumes from the newest checkpoint; Ctrl-C saves one before exiting.
 */
@Command(name = "train", mixinStandardHelpOptions = true,
        description = "Train a LoopLM from a JSON spec (resumes automatically in the same --out folder).")
final class TrainCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "SPEC", description = "Training spec (JSON).")
    Path specFile;

    @Option(names = "--out", paramLabel = "DIR", description = "Run folder (default: runs/<spec name>).")
    Path out;

    @Option(names = "--quiet", description = "No progress line; only the final summary.")
    boolean quiet;

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter err = spec.commandLine().getErr();
        TrainingSpecReader.Loaded loaded = TrainingSpecReader.read(specFile);
        Path dir = out != null ? out : Path.of("runs", loaded.spec().name());
        ProgressLine progress = new ProgressLine(err, quiet, System.console() != null);
        Trainer trainer = new Trainer(loaded, dir, CpuKernels.shared(), progress);
        // Ctrl-C: let the current step finish and save a resumable checkpoint before the JVM exits.
        try (CancelOnShutdown onCtrlC = new CancelOnShutdown("looplens-train-cancel", trainer::cancel, 60)) {
            TrainingOutcome outcome;
            try {
                outcome = trainer.run();
            } finally {
                onCtrlC.workDone();
            }
            return report(outcome, progress, err);
        }
    }

    private int report(TrainingOutcome outcome, ProgressLine progress, PrintWriter err) {
        progress.done();
        PrintWriter o = spec.commandLine().getOut();
        switch (outcome.status()) {
            case FINISHED, ALREADY_COMPLETE, CANCELLED -> o.println(outcome.message());
            case DIVERGED -> {
                err.println("error: " + outcome.message());
                return LoopLensCli.INTERNAL_ERROR;
            }
        }
        return LoopLensCli.OK;
    }
}
