package org.looplens.engine.train;

import java.nio.file.Path;

/**
 * Live events of a training run, for progress bars, charts and logs. Called on the training
 * thread: implementations hand work to their own thread (a GUI must not block training, and
 * training must not block a GUI).
 */
public interface TrainingListener {

    /** A run is starting (or resuming at {@code startStep}). */
    default void started(String name, int startStep, int totalSteps) {}

    /** A metrics record, written to metrics.jsonl at the same moment. */
    default void logged(MetricsRecord record) {}

    /** A validation run finished. */
    default void evaluated(int step, Evaluation evaluation) {}

    /** A resumable checkpoint was written. */
    default void checkpointed(int step, Path folder) {}

    /** The run ended: finished, cancelled or stopped by a non-finite value. */
    default void finished(TrainingOutcome outcome) {}

    TrainingListener NONE = new TrainingListener() {};
}
