package org.looplens.analyses.exit;

import java.util.List;
import java.util.Locale;
import java.util.TreeMap;
import org.looplens.analyses.lens.StepLens;
import org.looplens.engine.kernels.Kernels;
import org.looplens.engine.model.LoopModel;
import org.looplens.engine.run.LoopRunner;
import org.looplens.engine.run.RunOptions;
import org.looplens.engine.run.TokenSampler;
import org.looplens.engine.trace.CapturePlan;
import org.looplens.engine.trace.Site;
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
                                    double[] meanQExitDepth, double[] accuracy, double q, int steps,
                                    double[] expectedDepthSe, double[] oracleDepthSe, double[][] stepAccuracy) {

    public static ExitDepthByDifficulty measure(LoopModel model, Kernels kernels, List<Question> questions, double q) {
        if (questions.isEmpty()) {
            throw new IllegalArgumentException("no questions to measure exit depth on");
        }
        if (!(q >= 0 && q <= 1)) {
            throw new IllegalArgumentException("q must lie in [0, 1], got " + q);
        }
        int trained = model.config().totalUtSteps();
        TreeMap<Integer, Tally> tallies = new TreeMap<>();
        RunOptions options = RunOptions.defaults().withCapture(CapturePlan.kinds(SiteKind.STEP_LOGITS));
        QuestionBatches.run(new LoopRunner(model, kernels), questions, options, (question, run) -> {
            int last = run.length() - 1;
            // Only the answer position is read: its top-1 at every step, not a whole lens.
            int[] top1 = new int[run.steps()];
            for (int step = 0; step < top1.length; step++) {
                float[] logits = run.trace().row(Site.step(step, SiteKind.STEP_LOGITS), last);
                top1[step] = TokenSampler.argmax(logits, 0, logits.length);
            }
            Tally t = tallies.computeIfAbsent(question.difficulty(), d -> new Tally(run.steps()));
            t.count++;
            t.expected.add(run.exit().expectedDepth(last));
            t.oracle.add(StepLens.decisionStep(top1) + 1);
            t.qExit += run.exit().exitStep(last, q) + 1;
            t.correct += QuestionBatches.answer(run) == question.answer() ? 1 : 0;
            for (int step = 0; step < top1.length; step++) {
                t.stepCorrect[step] += top1[step] == question.answer() ? 1 : 0;
            }
        });
        int n = tallies.size();
        int[] difficulty = new int[n];
        int[] count = new int[n];
        double[] expected = new double[n];
        double[] oracle = new double[n];
        double[] qExit = new double[n];
        double[] accuracy = new double[n];
        double[] expectedSe = new double[n];
        double[] oracleSe = new double[n];
        double[][] stepAccuracy = new double[n][];
        int i = 0;
        for (var e : tallies.entrySet()) {
            Tally t = e.getValue();
            difficulty[i] = e.getKey();
            count[i] = t.count;
            expected[i] = t.expected.mean();
            oracle[i] = t.oracle.mean();
            expectedSe[i] = t.expected.standardError();
            oracleSe[i] = t.oracle.standardError();
            qExit[i] = t.qExit / t.count;
            accuracy[i] = (double) t.correct / t.count;
            stepAccuracy[i] = new double[t.stepCorrect.length];
            for (int step = 0; step < t.stepCorrect.length; step++) {
                stepAccuracy[i][step] = (double) t.stepCorrect[step] / t.count;
            }
            i++;
        }
        return new ExitDepthByDifficulty(difficulty, count, expected, oracle, qExit, accuracy, q, trained, expectedSe,
                oracleSe, stepAccuracy);
    }

    /** The running sums of one difficulty. */
    private static final class Tally {
        int count;
        final Moments expected = new Moments();
        final Moments oracle = new Moments();
        double qExit;
        int correct;
        final int[] stepCorrect;

        Tally(int steps) {
            stepCorrect = new int[steps];
        }
    }

    /** Mean and standard error of the mean, summed in arrival order. */
    private static final class Moments {
        private int n;
        private double sum;
        private double sumSquares;

        void add(double x) {
            n++;
            sum += x;
            sumSquares += x * x;
        }

        double mean() {
            return sum / n;
        }

        double standardError() {
            if (n < 2) {
                return 0;
            }
            double variance = Math.max(0, (sumSquares - sum * sum / n) / (n - 1));
            return Math.sqrt(variance / n);
        }
    }

    public String toCsv() {
        StringBuilder sb = new StringBuilder("difficulty,questions,mean_expected_depth,expected_depth_se,mean_oracle_depth,"
                + "oracle_depth_se,mean_q_exit_depth,accuracy");
        for (int step = 0; step < steps; step++) {
            sb.append(",accuracy_step_").append(step + 1);
        }
        sb.append('\n');
        for (int i = 0; i < difficulty.length; i++) {
            sb.append(String.format(Locale.ROOT, "%d,%d,%s,%s,%s,%s,%s,%s", difficulty[i], count[i], meanExpectedDepth[i],
                    expectedDepthSe[i], meanOracleDepth[i], oracleDepthSe[i], meanQExitDepth[i], accuracy[i]));
            for (double a : stepAccuracy[i]) {
                sb.append(',').append(a);
            }
            sb.append('\n');
        }
        return sb.toString();
    }
}
