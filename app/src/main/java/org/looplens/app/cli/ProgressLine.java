package org.looplens.app.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import org.looplens.engine.train.Evaluation;
import org.looplens.engine.train.MetricsRecord;
import org.looplens.engine.train.TrainingListener;

/**
 * The training progress bar: one updating line on a terminal (a line per record otherwise, so
 * logs stay readable), with the per-step losses, expected depth, learning rate, speed and ETA.
 */
final class ProgressLine implements TrainingListener {
    private static final int WIDTH = 24;
    private final PrintWriter err;
    private final boolean quiet;
    private final boolean terminal;
    private int total = 1;
    private boolean open;

    ProgressLine(PrintWriter err, boolean quiet, boolean terminal) {
        this.err = err;
        this.quiet = quiet;
        this.terminal = terminal;
    }

    @Override
    public void started(String name, int startStep, int totalSteps) {
        total = Math.max(1, totalSteps);
        if (!quiet) {
            err.println(startStep > 0 ? "resuming " + name + " at step " + startStep + " of " + totalSteps
                    : "training " + name + ": " + totalSteps + " steps");
        }
    }

    @Override
    public void logged(MetricsRecord r) {
        if (quiet) {
            return;
        }
        int filled = (int) Math.round(WIDTH * (double) r.step() / total);
        StringBuilder losses = new StringBuilder();
        for (double l : r.stepLosses()) {
            losses.append(losses.isEmpty() ? "" : "/").append(String.format("%.3f", l));
        }
        String line = String.format("[%s%s] %d/%d loss %.4f L_t %s depth %.2f |g| %.2f lr %.2e %s tok/s ETA %s",
                "#".repeat(filled), ".".repeat(WIDTH - filled), r.step(), total, r.loss(), losses, r.expectedDepth(),
                r.gradNorm(), r.learningRate(), compact(r.tokensPerSecond()), duration(r.etaSeconds()));
        if (terminal) {
            err.print("\r" + line + "\u001b[K");
            open = true;
        } else {
            err.println(line);
        }
        err.flush();
    }

    @Override
    public void evaluated(int step, Evaluation e) {
        if (quiet) {
            return;
        }
        endLine();
        StringBuilder byHop = new StringBuilder();
        e.byDifficulty().forEach((d, acc) -> byHop.append(String.format(" d%d=%.3f", d, acc[acc.length - 1])));
        err.printf("step %d: validation accuracy %.3f%s%n", step, e.accuracy(), byHop);
        err.flush();
    }

    @Override
    public void checkpointed(int step, Path folder) {
        if (!quiet && !terminal) {
            err.println("checkpoint " + folder);
        }
    }

    void done() {
        endLine();
        err.flush();
    }

    private void endLine() {
        if (open) {
            err.println();
            open = false;
        }
    }

    private static String compact(double v) {
        return v >= 1e6 ? String.format("%.1fM", v / 1e6) : v >= 1e3 ? String.format("%.1fk", v / 1e3)
                : String.format("%.0f", v);
    }

    private static String duration(double seconds) {
        long s = Math.round(seconds);
        return s >= 3600 ? String.format("%dh%02dm", s / 3600, s % 3600 / 60)
                : s >= 60 ? String.format("%dm%02ds", s / 60, s % 60) : s + "s";
    }
}
