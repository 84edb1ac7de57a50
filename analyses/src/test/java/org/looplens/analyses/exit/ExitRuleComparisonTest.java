package org.looplens.analyses.exit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.looplens.analyses.SmallModels;
import org.looplens.engine.kernels.CpuKernels;
import org.looplens.engine.model.LoopModel;

/** The oracle agrees with itself and is as accurate as the last step; the gate at q = 1 is the last step. */
class ExitRuleComparisonTest {
    private static final int STEPS = 4;
    private final LoopModel model = SmallModels.random(12, 2, STEPS, 0.6, 8);
    private final List<Question> questions = new ArrayList<>();

    ExitRuleComparisonTest() {
        SplittableRandom rng = new SplittableRandom(6);
        for (int i = 0; i < 80; i++) {
            questions.add(new Question(rng.ints(2 + rng.nextInt(5), 0, 12).toArray(), rng.nextInt(12), 1));
        }
    }

    @Test
    void theOracleAndTheGateAtQOneAnchorTheComparison() {
        ExitRuleComparison c = ExitRuleComparison.compare(model, CpuKernels.shared(), questions,
                ExitRuleComparison.standardRules(0.5), 1.0);
        assertEquals(List.of("gate", "oracle", "argmax-stable", "entropy<0.5"), c.rules());
        ExitSweep sweep = ExitSweeps.qSweep(model, CpuKernels.shared(), questions, new double[] {1.0});
        assertEquals(1.0, c.agreement()[1], 0, "the oracle agrees with itself");
        assertEquals(sweep.lastStepAccuracy(), c.accuracy()[1], 0, "the oracle stops once the answer is final");
        assertEquals(sweep.lastStepAccuracy(), c.accuracy()[0], 0, "the gate at q = 1 runs to the last step");
        assertEquals(STEPS, c.meanDepth()[0], 0);
        assertTrue(c.meanDepth()[1] <= STEPS && c.meanDepth()[1] >= 1);
        assertEquals(5, c.toCsv().split("\n").length);
    }
}
