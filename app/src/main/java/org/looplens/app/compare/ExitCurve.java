package org.looplens.app.compare;

/**
 * A LoopLM's Q-exit sweep as an accuracy–compute curve: for each threshold q, accuracy, the mean
 * loop steps used and what those steps cost per question.
 *
 * @param q                the thresholds, ascending
 * @param accuracy         per q
 * @param meanDepth        per q, in loop steps
 * @param flopsPerQuestion per q: the cost model's mean cost per question at that depth (exact
 *                         between whole steps, since the cost is affine in the steps run)
 */
public record ExitCurve(double[] q, double[] accuracy, double[] meanDepth, double[] flopsPerQuestion) {}
