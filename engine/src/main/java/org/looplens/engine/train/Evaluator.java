package org.looplens.engine.train;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.looplens.engine.data.Example;
import org.looplens.engine.data.Format;
import org.looplens.engine.data.Split;
import org.looplens.engine.data.Task;
import org.looplens.engine.kernels.Kernels;
import org.looplens.engine.model.LoopModel;
import org.looplens.engine.run.ExitPolicy;
import org.looplens.engine.run.Generator;
import org.looplens.engine.run.LoopRunner;
import org.looplens.engine.run.RunOptions;
import org.looplens.engine.run.RunResult;
import org.looplens.engine.run.Sampling;
import org.looplens.engine.run.TokenSampler;
import org.looplens.engine.tensor.FloatTensor;
import org.looplens.engine.trace.CapturePlan;
import org.looplens.engine.trace.SiteKind;

/**
 * Measures answer accuracy on held-out examples, deterministically (the same model, task and
 * split always give the same numbers). DIRECT answers are read from one forward pass: the answer
 * counts as right at step t when step t's top-1 prediction equals every answer token. COT answers
 * are generated greedily from the question (reasoning included) and compared at the answer
 * position; per step by exiting at that fixed step during generation.
 */
public final class Evaluator {
    private static final int CHUNK = 64;

    private final LoopModel model;
    private final LoopRunner runner;
    private final int steps;

    public Evaluator(LoopModel model, Kernels kernels) {
        this.model = model;
        this.runner = new LoopRunner(model, kernels);
        this.steps = model.config().totalUtSteps();
    }

    public Evaluation evaluate(Task task, Format format, Split split, int count) {
        List<Example> examples = task.batch(split, 0, count, format);
        boolean[][] correct = new boolean[examples.size()][steps];
        double[] loss = new double[steps];
        int counted = 0;
        for (int from = 0; from < examples.size(); from += CHUNK) {
            List<Example> chunk = examples.subList(from, Math.min(examples.size(), from + CHUNK));
            List<int[]> seqs = new ArrayList<>();
            chunk.forEach(e -> seqs.add(e.tokens()));
            List<RunResult> runs = runner.forward(seqs,
                    RunOptions.defaults().withCapture(CapturePlan.kinds(SiteKind.STEP_LOGITS)));
            for (int i = 0; i < chunk.size(); i++) {
                Example e = chunk.get(i);
                RunResult r = runs.get(i);
                for (int t = 0; t < steps; t++) {
                    FloatTensor stepLogits = r.stepLogits(t);
                    float[] logits = stepLogits.data();
                    int vocab = stepLogits.dim(1);
                    for (int p = 0; p < e.lossMask().length; p++) {
                        if (e.lossMask()[p]) {
                            loss[t] += RowLoss.crossEntropy(logits, p * vocab, vocab, e.tokens()[p + 1]);
                        }
                    }
                    correct[from + i][t] = format == Format.DIRECT ? directCorrect(e, logits, vocab) : false;
                }
                counted += e.lossCount();
            }
        }
        if (format == Format.COT) {
            for (int i = 0; i < examples.size(); i++) {
                for (int t = 0; t < steps; t++) {
                    correct[i][t] = generatedCorrect(examples.get(i), t);
                }
            }
        }
        return summarise(split, examples, correct, loss, counted);
    }

    /**
     * Whether greedy top-1 at each answer position (one before each answer token) of a direct
     * example's {@code [L, vocab]} logits is that token.
     */
    public static boolean directCorrect(Example e, float[] logits, int vocab) {
        for (int j = 0; j < e.answer().length; j++) {
            int p = e.answerStart() + j - 1;
            if (TokenSampler.argmax(logits, p * vocab, vocab) != e.answer()[j]) {
                return false;
            }
        }
        return true;
    }

    private boolean generatedCorrect(Example e, int step) {
        int promptEnd = 0;
        while (!e.lossMask()[promptEnd]) {
            promptEnd++;
        }
        int[] prompt = java.util.Arrays.copyOf(e.tokens(), promptEnd + 1);
        int needed = e.answerStart() + e.answer().length - prompt.length;
        RunOptions options = RunOptions.defaults().withExitPolicy(ExitPolicy.fixedStep(step));
        int[] generated = new Generator(runner).generate(prompt, needed, Sampling.greedy(), options,
                java.util.Set.of(), null).generated();
        for (int j = 0; j < e.answer().length; j++) {
            int at = e.answerStart() + j - prompt.length;
            if (at >= generated.length || generated[at] != e.answer()[j]) {
                return false;
            }
        }
        return true;
    }

    private Evaluation summarise(Split split, List<Example> examples, boolean[][] correct, double[] loss, int counted) {
        double[] byStep = new double[steps];
        Map<Integer, double[]> byDifficulty = new TreeMap<>();
        Map<Integer, Integer> counts = new TreeMap<>();
        for (int i = 0; i < examples.size(); i++) {
            int d = examples.get(i).difficulty();
            counts.merge(d, 1, Integer::sum);
            double[] acc = byDifficulty.computeIfAbsent(d, k -> new double[steps]);
            for (int t = 0; t < steps; t++) {
                if (correct[i][t]) {
                    byStep[t]++;
                    acc[t]++;
                }
            }
        }
        for (int t = 0; t < steps; t++) {
            byStep[t] /= Math.max(1, examples.size());
            loss[t] /= Math.max(1, counted);
        }
        byDifficulty.forEach((d, acc) -> {
            for (int t = 0; t < steps; t++) {
                acc[t] /= counts.get(d);
            }
        });
        return new Evaluation(split.name().toLowerCase(), examples.size(), byStep[steps - 1], byStep, byDifficulty,
                counts, loss);
    }

}
