package org.looplens.engine.train;

import java.nio.file.Path;

/**
 * How a run ended.
 *
 * @param status     finished, cancelled (a resumable checkpoint was saved), diverged (a NaN or
 *                   infinite value stopped it; the last good checkpoint stays) or already complete
 * @param step       the global step reached
 * @param folder     the run folder
 * @param message    one line for people
 * @param test       the final held-out evaluation, when the run finished
 */
public record TrainingOutcome(Status status, int step, Path folder, String message, Evaluation test) {
    public enum Status { FINISHED, CANCELLED, DIVERGED, ALREADY_COMPLETE }
}
