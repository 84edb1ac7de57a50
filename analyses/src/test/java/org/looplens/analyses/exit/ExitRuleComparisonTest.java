package org.looplens.analyses.exit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.looplens.analyses.SmallModels;
import org.looplens.analyses.lens.StepLens;
import org.looplens.engine.kernels.CpuKernels;
import org.looplens.engine.model.LoopModel;
import org.looplens.engine.run.ExitPolicy;
import org.looplens.engine.run.RunOptions;

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
                ExitRuleComparison.standardRules(0.5, 0.1, 0.01), 1.0);
        assertEquals(List.of("gate", "oracle", "argmax-stable", "entropy<0.5", "latent-change<0.1", "step-kl<0.01"),
                c.rules());
        ExitSweep sweep = ExitSweeps.qSweep(model, CpuKernels.shared(), questions, new double[] {1.0});
        assertEquals(1.0, c.agreement()[1], 0, "the oracle agrees with itself");
        assertEquals(sweep.lastStepAccuracy(), c.accuracy()[1], 0, "the oracle stops once the answer is final");
        assertEquals(sweep.lastStepAccuracy(), c.accuracy()[0], 0, "the gate at q = 1 runs to the last step");
        assertEquals(STEPS, c.meanDepth()[0], 0);
        assertTrue(c.meanDepth()[1] <= STEPS && c.meanDepth()[1] >= 1);
        assertEquals(7, c.toCsv().split("\n").length);
    }

    @Test
    void theNewRulesAgreeWithTheOracleAsOftenAsTheirStepsSay() {
        List<ExitRule> rules = List.of(new ExitRule.LatentChangeBelow(0.3), new ExitRule.StepKlBelow(0.05));
        ExitRuleComparison c = ExitRuleComparison.compare(model, CpuKernels.shared(), questions, rules, 1.0);
        double[] agree = new double[2];
        double[] depth = new double[2];
        var options = RunOptions.defaults().withExitPolicy(ExitPolicy.qExit(1.0));
        for (Question q : questions) {
            StepLens lens = StepLens.inspect(model, CpuKernels.shared(), q.prompt(), options, 1);
            int last = lens.length() - 1;
            int oracle = lens.decisionStep(last);
            for (int r = 0; r < 2; r++) {
                int step = firstBelow(r == 0 ? lens.latentChange()[last] : lens.stepKl()[last], r == 0 ? 0.3 : 0.05);
                agree[r] += step == oracle ? 1.0 / questions.size() : 0;
                depth[r] += (step + 1.0) / questions.size();
            }
        }
        assertEquals(agree[0], c.agreement()[0], 1e-12);
        assertEquals(agree[1], c.agreement()[1], 1e-12);
        assertEquals(depth[0], c.meanDepth()[0], 1e-12);
        assertEquals(depth[1], c.meanDepth()[1], 1e-12);
        assertTrue(depth[0] > 2 && depth[0] < STEPS, "the threshold splits the questions: " + depth[0]);
    }

    @Test
    void extremeThresholdsStopAtTheSecondOrTheLastStep() {
        ExitSweep sweep = ExitSweeps.qSweep(model, CpuKernels.shared(), questions, new double[] {1.0});
        ExitRuleComparison c = ExitRuleComparison.compare(model, CpuKernels.shared(), questions, List.of(
                new ExitRule.LatentChangeBelow(Double.POSITIVE_INFINITY), new ExitRule.StepKlBelow(Double.POSITIVE_INFINITY),
                new ExitRule.LatentChangeBelow(0), new ExitRule.StepKlBelow(0)), 1.0);
        assertEquals(2, c.meanDepth()[0], 0, "every change is below infinity: stop at the first step with a predecessor");
        assertEquals(2, c.meanDepth()[1], 0);
        assertEquals(STEPS, c.meanDepth()[2], 0, "no change is below 0: run to the end");
        assertEquals(STEPS, c.meanDepth()[3], 0);
        assertEquals(sweep.lastStepAccuracy(), c.accuracy()[2], 0);
        assertEquals(sweep.lastStepAccuracy(), c.accuracy()[3], 0);
    }

    /** Planted per-step changes: the rules stop at the first step strictly below their threshold. */
    @Test
    void onPlantedChangesTheRulesStopWhereTheThresholdIsFirstUndercut() {
        double[][] latent = {{0.5, 0.05, 0.01}, {0.5, 0.2, 0.15}, {0.1, 0.09, 0.5}};
        double[][] kl = {{0.02, 0.001, 0.3}, {0.01, 0.2, 0.3}, {1, 1, 0.0099}};
        StepLens lens = new StepLens(new int[] {1, 2, 3}, 0, 4, 4, new int[] {3, 3, 3}, Map.of(), null, null, null,
                StepLens.NO_TARGET, kl, latent);
        ExitRule latentRule = new ExitRule.LatentChangeBelow(0.1);
        ExitRule klRule = new ExitRule.StepKlBelow(0.01);
        assertEquals(2, latentRule.exitStep(lens, 0));
        assertEquals(3, latentRule.exitStep(lens, 1), "never below: the last step");
        assertEquals(2, latentRule.exitStep(lens, 2), "0.1 is not below 0.1; 0.09 is");
        assertEquals(2, klRule.exitStep(lens, 0));
        assertEquals(3, klRule.exitStep(lens, 1), "0.01 is not below 0.01");
        assertEquals(3, klRule.exitStep(lens, 2));
        StepLens noStates = new StepLens(new int[] {1}, 0, 4, 4, new int[] {3}, Map.of(), null, null, null,
                StepLens.NO_TARGET, new double[][] {{1, 1, 1}}, null);
        assertThrows(IllegalArgumentException.class, () -> latentRule.exitStep(noStates, 0));
    }

    private static int firstBelow(double[] change, double threshold) {
        for (int t = 1; t <= change.length; t++) {
            if (change[t - 1] < threshold) {
                return t;
            }
        }
        return change.length;
    }
}
