package org.looplens.app.compare;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * Every number of a comparison, as written to {@code results.json}; {@code report.md} shows the
 * same numbers rounded.
 *
 * @param name           the experiment
 * @param task           the task spec (direct format; the cot member reads it in cot)
 * @param trainedUpTo    the hardest difficulty in training (kTrain, depthTrain), or null when the task has none
 * @param costModel      what the FLOPs count
 * @param timing         how wall time was measured
 * @param members        per member, in spec order
 * @param faithfulness   faithfulness curves, empty when no suite ran
 * @param faithfulnessSuite the suite that produced them ("none" when not run)
 */
public record ComparisonResult(String name, JsonNode task, Integer trainedUpTo, String costModel, String timing,
                               List<MemberResult> members, List<FaithfulnessCurveRow> faithfulness,
                               String faithfulnessSuite) {}
