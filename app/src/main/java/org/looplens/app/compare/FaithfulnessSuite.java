package org.looplens.app.compare;

import java.util.List;
import org.looplens.engine.data.Example;
import org.looplens.engine.kernels.Kernels;
import org.looplens.engine.model.LoopModel;

/**
 * The extension point for the report's faithfulness section. The comparison calls it once per
 * member with the member's held-out examples in its own format (cot examples for the cot member);
 * the report draws and tabulates whatever curves come back, and says the section was not run when
 * none do. Meant to be implemented over {@code CotFaithfulness} (earlyAnswering, addingMistakes,
 * fillerTokens for {@link MemberKind#COT}) and {@code LatentFaithfulness} (earlyExit, corruptStep,
 * noise for {@link MemberKind#LOOP}) once those are merged, mapping each FaithfulnessCurve to a
 * {@link FaithfulnessCurveRow}.
 */
public interface FaithfulnessSuite {

    /** Curves for one member; empty when the suite has no test for its kind. */
    List<FaithfulnessCurveRow> run(ExperimentSpec.Member member, LoopModel model, Kernels kernels, List<Example> examples,
                                   int bootstrap, long seed);

    /** No faithfulness tests: the report says so. */
    FaithfulnessSuite NONE = (member, model, kernels, examples, bootstrap, seed) -> List.of();
}
