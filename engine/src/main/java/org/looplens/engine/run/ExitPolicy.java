package org.looplens.engine.run;

/**
 * Which step's prediction a run reports for each position. All steps are always computed (the
 * exit distribution needs every λ); the policy only chooses the output.
 */
public sealed interface ExitPolicy {

    /** The last step T−1, as a plain forward through all loops. */
    record LastStep() implements ExitPolicy {}

    /** A fixed 0-based step for every position. */
    record FixedStep(int step) implements ExitPolicy {}

    /**
     * Ouro's Q-exit: the first step whose exit CDF reaches {@code q} (the last step if none does).
     * q = 1 means no early exit: it always takes the last step, even where a saturated gate
     * (λ rounding to 1) makes an earlier CDF exactly 1.
     */
    record QExit(double q) implements ExitPolicy {}

    /** The p-weighted mixture Σ_t p(t)·logits_t (the Hugging Face weighted-exit output). */
    record Mixture() implements ExitPolicy {}

    static ExitPolicy lastStep() {
        return new LastStep();
    }

    static ExitPolicy fixedStep(int step) {
        return new FixedStep(step);
    }

    static ExitPolicy qExit(double q) {
        return new QExit(q);
    }

    static ExitPolicy mixture() {
        return new Mixture();
    }
}
