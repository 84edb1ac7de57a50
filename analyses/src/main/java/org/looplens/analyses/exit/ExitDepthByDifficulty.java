package org.looplens.analyses.exit;

import java.util.List;
import java.util.Locale;
import java.util.TreeMap;
import org.looplens.analyses.lens.StepLens;
import org.looplens.engine.kernels.Kernels;
import org.looplens.engine.model.LoopModel;
import org.looplens.engine.run.LoopRunner;
import org.looplens.engine.run.RunOptions;
import org.looplens.engine.trace.CapturePlan;
import org.looplens.engine.trace.SiteKind;

/**
 * Whether the loop spends more steps on harder questions: per difficulty (hop count), at the
 * answer position, the mean expected depth Σ_t (t+1)·p(t) under the learned exit distribution,
 * the mean oracle depth (first step whose answer is final), and the mean Q-exit depth. Depths
 * are loop steps used, 1..T.
 *
 * @param difficulty        the difficulties present, ascending
 * @param count             questions per difficulty
 * @param meanExpectedDepth per difficulty
 * @param meanOracleDepth   per difficulty
 * @param meanQExitDepth    per difficulty, at threshold {@code q}
 * @param accuracy          per difficulty, answering from the last step
 * @param q                 the Q-exit threshold
 * @param steps             the loop steps run (the trained T)
 */
public record ExitDepthByDifficulty(int[] difficulty, int[] count, double[] meanExpectedDepth, double[] meanOracleDepth,
                                    double[] meanQExitDepth, double[] accuracy, double q, int steps) {

    public static ExitDepthByDifficulty measure(LoopModel model, Kernels kernels, List<Question> questions, double q) {
        if (questions.isEmpty()) {
            throw new IllegalArgumentException("no questions to measure exit depth on");
        }
        if (!(q >= 0 && q <= 1)) {
            throw new IllegalArgumentException("q must lie in [0, 1], got " + q);
        }
        int trained = model.config().totalUtSteps();
        TreeMap<Integer, double[]> sums = new TreeMap<>(); // count, expected, oracle, q-exit, correct
        RunOptions options = RunOptions.defaults().withCapture(CapturePlan.kinds(SiteKind.STEP_LOGITS));
        QuestionBatches.run(new LoopRunner(model, kernels), questions, options, (question, run) -> {
            int last = run.length() - 1;
            StepLens lens = StepLens.of(run, 1, trained);
            double[] s = sums.computeIfAbsent(question.difficulty(), d -> new double[5]);
            s[0]++;
            s[1] += run.exit().expectedDepth(last);
            s[2] += lens.decisionStep(last) + 1;
            s[3] += run.exit().exitStep(last, q) + 1;
            s[4] += QuestionBatches.answer(run) == question.answer() ? 1 : 0;
        });
        int n = sums.size();
        int[] difficulty = new int[n];
        int[] count = new int[n];
        double[] expected = new double[n];
        double[] oracle = new double[n];
        double[] qExit = new double[n];
        double[] accuracy = new double[n];
        int i = 0;
        for (var e : sums.entrySet()) {
            double[] s = e.getValue();
            difficulty[i] = e.getKey();
            count[i] = (int) s[0];
            expected[i] = s[1] / s[0];
            oracle[i] = s[2] / s[0];
            qExit[i] = s[3] / s[0];
            accuracy[i] = s[4] / s[0];
            i++;
        }
        return new ExitDepthByDifficulty(difficulty, count, expected, oracle, qExit, accuracy, q, trained);
    }

    public String toCsv() {
        StringBuilder sb = new StringBuilder("difficulty,questions,mean_expected_depth,mean_oracle_depth,mean_q_exit_depth,accuracy\n");
        for (int i = 0; i < difficulty.length; i++) {
            sb.append(String.format(Locale.ROOT, "%d,%d,%s,%s,%s,%s%n", difficulty[i], count[i], meanExpectedDepth[i],
                    meanOracleDepth[i], meanQExitDepth[i], accuracy[i]));
        }
        return sb.toString();
    }
}
