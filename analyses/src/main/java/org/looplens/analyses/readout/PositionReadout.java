package org.looplens.analyses.readout;

import java.util.List;

/**
 * Every step's prediction at one position, with the exit summary.
 *
 * @param position      absolute position
 * @param token         the input token at this position
 * @param steps         one entry per loop step
 * @param exitEntropy   entropy of the exit distribution (nats)
 * @param expectedDepth Σ_t p(t)·(t+1)
 * @param exitStep      the step the run's exit policy chose, or −1 for the mixture
 */
public record PositionReadout(int position, int token, List<StepPrediction> steps, double exitEntropy,
                              double expectedDepth, int exitStep) {}
