package org.looplens.app.cli;

import org.looplens.engine.InvalidInputException;
import org.looplens.engine.run.RunOptions;

/** Applies {@code --steps T} (absent = the trained number of steps) with a clear error below 1. */
final class StepsOption {
    private StepsOption() {}

    static RunOptions apply(RunOptions options, Integer steps) {
        if (steps == null) {
            return options;
        }
        if (steps < 1) {
            throw new InvalidInputException("--steps", "must be at least 1, got " + steps);
        }
        return options.withSteps(steps);
    }
}
