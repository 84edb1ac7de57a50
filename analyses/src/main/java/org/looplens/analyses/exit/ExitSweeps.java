package org.looplens.analyses.exit;

import java.util.ArrayList;
import java.util.List;
import org.looplens.engine.kernels.Kernels;
import org.looplens.engine.model.LoopModel;
import org.looplens.engine.run.ExitPolicy;
import org.looplens.engine.run.LoopRunner;
import org.looplens.engine.run.RunOptions;
import org.looplens.engine.run.RunResult;

/** Runs questions under Q-exit at a range of thresholds. */
public final class ExitSweeps {
    private static final int CHUNK = 64;

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
        int correct = 0;
        long depth = 0;
        for (int from = 0; from < questions.size(); from += CHUNK) {
            List<Question> chunk = questions.subList(from, Math.min(questions.size(), from + CHUNK));
            List<int[]> prompts = new ArrayList<>();
            chunk.forEach(q -> prompts.add(q.prompt()));
            List<RunResult> runs = runner.forward(prompts, options);
            for (int i = 0; i < chunk.size(); i++) {
                RunResult r = runs.get(i);
                int last = r.length() - 1;
                if (argmax(r.output().data(), last * r.output().dim(1), r.output().dim(1)) == chunk.get(i).answer()) {
                    correct++;
                }
                depth += r.exitSteps()[last] + 1;
            }
        }
        return new Outcome((double) correct / questions.size(), (double) depth / questions.size());
    }

    private static int argmax(float[] v, int off, int n) {
        int best = 0;
        for (int j = 1; j < n; j++) {
            if (v[off + j] > v[off + best]) {
                best = j;
            }
        }
        return best;
    }
}
