package org.looplens.app.compare;

import java.util.List;

/**
 * What the comparison measured for one member.
 *
 * @param name                 the member
 * @param kind                 loop, flat, deep or cot
 * @param loops                loop steps the model runs (T; 1 for flat, deep and cot)
 * @param layers               distinct decoder layers
 * @param provenance           reused, already-trained, trained or resumed
 * @param checkpoint           the checkpoint folder measured
 * @param specHash             the member's training spec hash
 * @param parameters           learned parameters
 * @param flopsPerQuestion     mean FLOPs to answer one held-out question (cost model)
 * @param secondsPerQuestion   measured wall time to answer one question, one at a time
 * @param promptTokens         mean prompt length (for cot: up to the end of the question)
 * @param generatedTokens      mean tokens produced per answer (for cot: the chain and the answer)
 * @param questions            held-out questions
 * @param accuracy             overall held-out accuracy
 * @param byDifficulty         accuracy per difficulty
 * @param accuracyByStep       accuracy when the answer is read at each loop step
 * @param exitSweep            the Q-exit curve for LoopLMs, null for the others
 */
public record MemberResult(String name, String kind, int loops, int layers, String provenance, String checkpoint,
                           String specHash, long parameters, double flopsPerQuestion, double secondsPerQuestion,
                           double promptTokens, double generatedTokens, int questions, double accuracy,
                           List<DifficultyAccuracy> byDifficulty, double[] accuracyByStep, ExitCurve exitSweep) {}
