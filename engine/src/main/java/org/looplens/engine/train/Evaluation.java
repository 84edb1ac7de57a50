package org.looplens.engine.train;

import java.util.Map;

/**
 * Held-out accuracy of a model on a task: exact match of the answer, overall and per difficulty
 * (hop count, depth), at the last loop step and at every step, plus each step's mean
 * next-token loss over the counted positions.
 *
 * @param split             the split evaluated
 * @param examples          number of examples
 * @param accuracy          answer accuracy at the last step
 * @param accuracyByStep    answer accuracy when the answer is read at step t
 * @param byDifficulty      difficulty → accuracy per step ({@code [step]}; the last entry is the last step)
 * @param countByDifficulty difficulty → number of examples
 * @param lossByStep        mean cross-entropy of each step over the counted positions
 */
public record Evaluation(String split, int examples, double accuracy, double[] accuracyByStep,
                         Map<Integer, double[]> byDifficulty, Map<Integer, Integer> countByDifficulty,
                         double[] lossByStep) {}
