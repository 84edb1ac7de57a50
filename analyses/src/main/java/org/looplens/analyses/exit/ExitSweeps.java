package org.looplens.analyses.exit;

import java.util.List;
import org.looplens.engine.kernels.Kernels;
import org.looplens.engine.model.LoopModel;
import org.looplens.engine.run.ExitPolicy;
import org.looplens.engine.run.LoopRunner;
import org.looplens.engine.run.RunOptions;

/** Runs questions under Q-exit at a range of thresholds. */
public final class ExitSweeps {
    private ExitSweeps() {}

    /** Evenly spaced thresholds 0, 1/(n−1), …, 1. */
    public static double[] grid(int n) {
        if (n < 2) {
            throw new IllegalArgumentException("a sweep needs at least two thresholds, got " + n);
        }
        double[] q = new double[n];
        for (int i = 0; i < n; i++) {
            q[i] = (double) i / (n - 1);
        }
        return q;
    }

    public static ExitSweep qSweep(LoopModel model, Kernels kernels, List<Question> questions, double[] qs) {
        if (questions.isEmpty()) {
            throw new IllegalArgumentException("no questions to sweep over");
        }
        LoopRunner runner = new LoopRunner(model, kernels);
        double[] accuracy = new double[qs.length];
        double[] depth = new double[qs.length];
        for (int k = 0; k < qs.length; k++) {
            Outcome o = run(runner, questions, RunOptions.defaults().withExitPolicy(ExitPolicy.qExit(qs[k])));
            accuracy[k] = o.accuracy;
            depth[k] = o.meanDepth;
        }
        Outcome last = run(runner, questions, RunOptions.defaults());
        return new ExitSweep(qs.clone(), accuracy, depth, last.accuracy, model.config().totalUtSteps(), questions.size());
    }

    private record Outcome(double accuracy, double meanDepth) {}

    private static Outcome run(LoopRunner runner, List<Question> questions, RunOptions options) {
        int[] correct = new int[1];
        long[] depth = new long[1];
        QuestionBatches.run(runner, questions, options, (q, r) -> {
            correct[0] += QuestionBatches.answer(r) == q.answer() ? 1 : 0;
            depth[0] += r.exitSteps()[r.length() - 1] + 1;
        });
        return new Outcome((double) correct[0] / questions.size(), (double) depth[0] / questions.size());
    }
}
