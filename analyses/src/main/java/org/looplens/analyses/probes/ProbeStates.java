package org.looplens.analyses.probes;

import java.util.List;
import org.looplens.engine.data.Example;
import org.looplens.engine.kernels.Kernels;
import org.looplens.engine.model.LoopModel;
import org.looplens.engine.run.LoopRunner;
import org.looplens.engine.run.RunOptions;
import org.looplens.engine.run.RunResult;
import org.looplens.engine.run.TokenSampler;
import org.looplens.engine.tensor.FloatTensor;
import org.looplens.engine.trace.CapturePlan;
import org.looplens.engine.trace.Site;
import org.looplens.engine.trace.SiteKind;

/**
 * What probes read: the hidden state every loop step hands on (STEP_HIDDEN, the normed state the
 * head and the next step both read) at the last position of each prompt, where the model must
 * already hold the answer, and the model's own answer there.
 *
 * @param states  {@code [step][question][hidden]}
 * @param outputs per question, the most likely next token of the run's output
 */
public record ProbeStates(double[][][] states, int[] outputs) {
    private static final int CHUNK = 64;

    /** The states of the questions' prompts: each example's tokens before its answer. */
    public static ProbeStates ofQuestions(LoopModel model, Kernels kernels, List<Example> examples, RunOptions options) {
        return capture(model, kernels, prompts(examples), options);
    }

    /** Each example's tokens before its answer. */
    static List<int[]> prompts(List<Example> examples) {
        return examples.stream().map(e -> java.util.Arrays.copyOf(e.tokens(), e.answerStart())).toList();
    }

    public static ProbeStates capture(LoopModel model, Kernels kernels, List<int[]> prompts, RunOptions options) {
        if (prompts.isEmpty()) {
            throw new IllegalArgumentException("no prompts to probe");
        }
        LoopRunner runner = new LoopRunner(model, kernels);
        RunOptions capture = options.withCapture(options.capture().plus(CapturePlan.kinds(SiteKind.STEP_HIDDEN)));
        int steps = options.resolveSteps(model.config().totalUtSteps());
        int hidden = model.config().hiddenSize();
        double[][][] states = new double[steps][prompts.size()][hidden];
        int[] outputs = new int[prompts.size()];
        for (int from = 0; from < prompts.size(); from += CHUNK) {
            List<RunResult> runs = runner.forward(prompts.subList(from, Math.min(prompts.size(), from + CHUNK)), capture);
            for (int b = 0; b < runs.size(); b++) {
                RunResult run = runs.get(b);
                int last = run.length() - 1;
                for (int t = 0; t < steps; t++) {
                    float[] h = run.trace().row(Site.step(t, SiteKind.STEP_HIDDEN), last);
                    for (int j = 0; j < hidden; j++) {
                        states[t][from + b][j] = h[j];
                    }
                }
                outputs[from + b] = argmax(run.output(), last);
            }
        }
        return new ProbeStates(states, outputs);
    }

    public int steps() {
        return states.length;
    }

    public int questions() {
        return outputs.length;
    }

    /** The most likely token in row {@code row} of a logits tensor; ties go to the lower id. */
    static int argmax(FloatTensor logits, int row) {
        return TokenSampler.argmax(logits.data(), row * logits.dim(1), logits.dim(1));
    }
}
