package org.looplens.app.cli;

import org.looplens.engine.InvalidInputException;
import org.looplens.engine.run.ExitPolicy;

/** Parses {@code --exit}: {@code last}, {@code mixture}, {@code step=K} or {@code q=0.9}. */
final class ExitPolicies {
    private ExitPolicies() {}

    static ExitPolicy parse(String spec, double defaultQ) {
        if (spec == null) {
            return ExitPolicy.qExit(defaultQ);
        }
        String s = spec.trim().toLowerCase();
        try {
            if (s.equals("last")) {
                return ExitPolicy.lastStep();
            }
            if (s.equals("mixture")) {
                return ExitPolicy.mixture();
            }
            if (s.startsWith("step=")) {
                return ExitPolicy.fixedStep(Integer.parseInt(s.substring(5)));
            }
            if (s.startsWith("q=")) {
                return ExitPolicy.qExit(Double.parseDouble(s.substring(2)));
            }
        } catch (NumberFormatException e) {
            // fall through to the message below
        }
        throw new InvalidInputException("--exit", "'" + spec + "' is not one of last, mixture, step=K, q=X");
    }

    static String describe(ExitPolicy p) {
        return switch (p) {
            case ExitPolicy.LastStep l -> "last step";
            case ExitPolicy.FixedStep f -> "fixed step " + f.step();
            case ExitPolicy.QExit q -> "Q-exit q=" + q.q();
            case ExitPolicy.Mixture m -> "p-weighted mixture";
        };
    }
}
