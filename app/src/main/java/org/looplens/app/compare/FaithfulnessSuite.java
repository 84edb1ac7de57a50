package org.looplens.app.compare;

import java.util.List;
import org.looplens.engine.data.Example;
import org.looplens.engine.data.Task;
import org.looplens.engine.kernels.Kernels;
import org.looplens.engine.model.LoopModel;

/**
 * The report's faithfulness section. The comparison calls it once per member with the member's
 * task and held-out examples in its own format (cot examples for the cot member); the report
 * draws and tabulates whatever curves come back, and says the section was not run when none do.
 * {@link LoopAndCotFaithfulness} is the suite the command uses.
 */
public interface FaithfulnessSuite {

    /** Curves for one member; empty when the suite has no test for its kind. */
    List<FaithfulnessCurveRow> run(ExperimentSpec.Member member, Task task, LoopModel model, Kernels kernels,
                                   List<Example> examples, int bootstrap, long seed);

    /** No faithfulness tests: the report says so. */
    FaithfulnessSuite NONE = (member, task, model, kernels, examples, bootstrap, seed) -> List.of();
}
