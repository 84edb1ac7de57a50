package org.looplens.engine.train;

/**
 * One line of metrics.jsonl: the state of training at an optimiser step, averaged over the steps
 * since the previous record.
 *
 * @param step            global optimiser step (1-based count of updates done)
 * @param phase           index of the phase
 * @param loss            the phase objective
 * @param stepLosses      L_t: mean next-token loss read out at each loop step
 * @param meanExitPdf     mean exit distribution over the counted positions
 * @param expectedDepth   Σ_t p̄(t)(t+1)
 * @param exitEntropy     mean entropy of the exit distribution (nats)
 * @param gradNorm        global gradient norm before clipping
 * @param learningRate    the rate of the last update
 * @param tokensPerSecond training tokens per second since the previous record
 * @param elapsedSeconds  wall time since this process started training
 * @param etaSeconds      estimated time to the end of the run
 */
public record MetricsRecord(int step, int phase, double loss, double[] stepLosses, double[] meanExitPdf,
                            double expectedDepth, double exitEntropy, double gradNorm, double learningRate,
                            double tokensPerSecond, double elapsedSeconds, double etaSeconds) {}
