package org.looplens.analyses.exit;

import java.util.List;
import org.looplens.engine.kernels.Kernels;
import org.looplens.engine.model.LoopModel;
import org.looplens.engine.run.LoopRunner;
import org.looplens.engine.run.RunOptions;
import org.looplens.engine.run.RunResult;

/** Runs questions at every loop depth from 1 to twice the trained T. */
public final class DepthSweeps {
    /** A drop in accuracy, below the trained T's, that counts as collapse. */
    public static final double COLLAPSE_DROP = 0.10;

    private DepthSweeps() {}

    public static DepthSweep sweep(LoopModel model, Kernels kernels, List<Question> questions, int maxSteps) {
        if (questions.isEmpty()) {
            throw new IllegalArgumentException("no questions to sweep over");
        }
        int trained = model.config().totalUtSteps();
        if (maxSteps < trained) {
            throw new IllegalArgumentException("the sweep must reach the trained T = " + trained + ", got " + maxSteps);
        }
        LoopRunner runner = new LoopRunner(model, kernels);
        int[] steps = new int[maxSteps];
        double[] accuracy = new double[maxSteps];
        double[] entropy = new double[maxSteps];
        for (int t = 1; t <= maxSteps; t++) {
            steps[t - 1] = t;
            int[] correct = new int[1];
            double[] h = new double[1];
            QuestionBatches.run(runner, questions, RunOptions.defaults().withSteps(t), (q, r) -> {
                correct[0] += QuestionBatches.answer(r) == q.answer() ? 1 : 0;
                h[0] += entropy(r);
            });
            accuracy[t - 1] = (double) correct[0] / questions.size();
            entropy[t - 1] = h[0] / questions.size();
        }
        boolean[] collapsed = new boolean[maxSteps];
        for (int i = trained; i < maxSteps; i++) {
            collapsed[i] = accuracy[i] < accuracy[trained - 1] - COLLAPSE_DROP;
        }
        return new DepthSweep(steps, accuracy, entropy, collapsed, trained, questions.size());
    }

    /** Entropy (nats) of the run's answer distribution at its last position. */
    private static double entropy(RunResult run) {
        int vocab = run.output().dim(1);
        int off = (run.length() - 1) * vocab;
        float[] logits = run.output().data();
        double max = Double.NEGATIVE_INFINITY;
        for (int j = 0; j < vocab; j++) {
            max = Math.max(max, logits[off + j]);
        }
        double sum = 0;
        for (int j = 0; j < vocab; j++) {
            sum += Math.exp(logits[off + j] - max);
        }
        double logZ = max + Math.log(sum);
        double h = 0;
        for (int j = 0; j < vocab; j++) {
            double lp = logits[off + j] - logZ;
            h -= Math.exp(lp) * lp;
        }
        return h;
    }
}
