package org.looplens.app.cli;

import org.looplens.engine.InvalidInputException;
import org.looplens.engine.config.LoopConfig;
import picocli.CommandLine.Option;

/** {@code --q}: the gate's Q-exit threshold, the checkpoint's {@code early_exit_threshold} by default. */
final class QThresholdOption {
    @Option(names = "--q", paramLabel = "Q", description = "The gate's Q-exit threshold (default: early_exit_threshold).")
    Double q;

    /** The threshold for this model, refused by name outside [0, 1]. */
    double resolve(LoopConfig c) {
        double threshold = q == null ? c.earlyExitThreshold() : q;
        if (!(threshold >= 0 && threshold <= 1)) {
            throw new InvalidInputException("--q", "must lie in [0, 1], got " + threshold);
        }
        return threshold;
    }
}
