package org.looplens.engine.train;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Where a run stands, as saved in {@code training.json}: enough, with the weights and the
 * optimiser moments, to continue bit for bit. Data order needs no RNG state: a task's examples are
 * a pure function of their index, so the data cursor is the whole data state.
 *
 * @param specHash         hash of the spec (with defaults) the run follows
 * @param spec             the spec itself
 * @param globalStep       optimiser steps done over all phases
 * @param phase            the phase the next step belongs to
 * @param phaseStep        steps done within that phase
 * @param cursor           index of the next training example
 * @param optimizerUpdates AdamW's update count within the phase (for bias correction)
 * @param complete         whether the run finished
 * @param window           the metric sums since the last record (null when none are pending)
 */
public record TrainingState(String specHash, JsonNode spec, int globalStep, int phase, int phaseStep, long cursor,
                            long optimizerUpdates, boolean complete, MetricsWindow window) {}
