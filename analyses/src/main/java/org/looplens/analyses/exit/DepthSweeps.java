package org.looplens.analyses.exit;

import java.util.ArrayList;
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
    private static final int CHUNK = 64;

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
            int correct = 0;
            double h = 0;
            for (int from = 0; from < questions.size(); from += CHUNK) {
                List<Question> chunk = questions.subList(from, Math.min(questions.size(), from + CHUNK));
                List<int[]> prompts = new ArrayList<>();
                chunk.forEach(q -> prompts.add(q.prompt()));
                List<RunResult> runs = runner.forward(prompts, RunOptions.defaults().withSteps(t));
                for (int i = 0; i < chunk.size(); i++) {
                    RunResult r = runs.get(i);
                    int vocab = r.output().dim(1);
                    int off = (r.length() - 1) * vocab;
                    float[] logits = r.output().data();
                    int best = 0;
                    double max = Double.NEGATIVE_INFINITY;
                    for (int j = 0; j < vocab; j++) {
                        if (logits[off + j] > max) {
                            max = logits[off + j];
                            best = j;
                        }
                    }
                    correct += best == chunk.get(i).answer() ? 1 : 0;
                    h += entropy(logits, off, vocab, max);
                }
            }
            accuracy[t - 1] = (double) correct / questions.size();
            entropy[t - 1] = h / questions.size();
        }
        boolean[] collapsed = new boolean[maxSteps];
        for (int i = trained; i < maxSteps; i++) {
            collapsed[i] = accuracy[i] < accuracy[trained - 1] - COLLAPSE_DROP;
        }
        return new DepthSweep(steps, accuracy, entropy, collapsed, trained, questions.size());
    }

    private static double entropy(float[] logits, int off, int vocab, double max) {
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
