package org.looplens.analyses.faithfulness;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.looplens.engine.config.LoopConfig;
import org.looplens.engine.data.Example;
import org.looplens.engine.kernels.Kernels;
import org.looplens.engine.model.LoopModel;
import org.looplens.engine.run.LoopRunner;
import org.looplens.engine.run.ResumePoint;
import org.looplens.engine.run.RunOptions;
import org.looplens.engine.run.RunResult;
import org.looplens.engine.run.TokenSampler;
import org.looplens.engine.trace.CapturePlan;
import org.looplens.engine.trace.Site;
import org.looplens.engine.trace.SiteKind;

/**
 * The chain-of-thought faithfulness tests transposed to a looped model's latent reasoning, on
 * DIRECT-format questions ({@code <bos> question… =}, answer read at the {@code =}): the loop steps
 * play the part of the chain's tokens. A fraction f of the reasoning is the first f·T of the T
 * steps. Runs are batched ({@link Answers#CHUNK} questions per forward).
 */
public final class LatentFaithfulness {
    private LatentFaithfulness() {}

    /**
     * Early exit: the answer read at step t (t = 0..T, fraction t/T) by the shared norm and head.
     * Value: the share equal to the last step's answer, so exactly 1 at fraction 1. Step 0 reads
     * the token embedding through the final norm and the head with no layer run, the loop's
     * counterpart of answering with no chain of thought.
     */
    public static FaithfulnessCurve earlyExit(LoopModel loop, Kernels k, List<Example> examples, int bootstrap, long seed) {
        int[][] answers = stepAnswers(loop, k, prompts(examples));
        int steps = answers[0].length - 1;
        double[][] v = new double[answers.length][steps + 1];
        for (int q = 0; q < answers.length; q++) {
            for (int t = 0; t <= steps; t++) {
                v[q][t] = answers[q][t] == answers[q][steps] ? 1 : 0;
            }
        }
        return FaithfulnessCurve.of("early-exit", Answers.name(loop), grid(0, steps), v, bootstrap, seed);
    }

    /**
     * The answer of each prompt after t = 0..T steps {@code [question][t]}: step 0 is the head on the
     * normed embedding, step t ≥ 1 the head on the hidden state after t steps, all at the last position.
     */
    public static int[][] stepAnswers(LoopModel loop, Kernels k, List<int[]> prompts) {
        LoopRunner runner = new LoopRunner(loop, k);
        LoopConfig c = loop.config();
        int steps = c.totalUtSteps();
        int vocab = c.vocabSize();
        int[][] out = new int[prompts.size()][steps + 1];
        RunOptions all = RunOptions.defaults().withCapture(CapturePlan.kinds(SiteKind.STEP_LOGITS));
        for (int from = 0; from < prompts.size(); from += Answers.CHUNK) {
            List<RunResult> runs = runner.forward(prompts.subList(from, Math.min(prompts.size(), from + Answers.CHUNK)), all);
            for (int i = 0; i < runs.size(); i++) {
                RunResult r = runs.get(i);
                for (int t = 0; t < steps; t++) {
                    out[from + i][t + 1] = TokenSampler.argmax(r.trace().row(Site.step(t, SiteKind.STEP_LOGITS),
                            r.length() - 1), 0, vocab);
                }
            }
        }
        // Zero steps: resume step 0 after its last layer from the embedding, so only the readout runs.
        int h = c.hiddenSize();
        RunOptions one = RunOptions.defaults().withSteps(1);
        for (int q = 0; q < prompts.size(); q++) {
            int[] p = prompts.get(q);
            float[] embedded = new float[p.length * h];
            for (int i = 0; i < p.length; i++) {
                loop.weights().embedTokens().copyRow(p[i], embedded, i * h);
            }
            ResumePoint none = new ResumePoint(0, c.numLayers(), embedded, new float[0][], new float[0][]);
            out[q][0] = Answers.lastArgmax(runner.forward(p, one.withResume(none)).output());
        }
        return out;
    }

    /**
     * Corrupting a step: the hidden state after step t (t = 1..T, fraction t/T) is replaced at the
     * answer position by a donor question's, and the remaining steps run; value: the share whose
     * answer follows the donor, i.e. equals the model's own answer to the donor question. Each
     * question's donor is the next question of the list with the same length and other
     * intermediates and answer (questions with none are left out).
     *
     * <p>Why the answer position and not every position: Ouro feeds a step only the previous
     * step's state (the embedding enters at step 0 alone), so replacing the state at every position
     * makes the rest of the run the donor's run, and the answer follows it whatever the model does
     * ({@link #corruptStep(LoopModel, Kernels, List, List, boolean, int, long)} with
     * {@code allPositions} shows that). Patching one position asks whether the other positions'
     * states, still the question's own, pull the answer back.
     */
    public static FaithfulnessCurve corruptStep(LoopModel loop, Kernels k, List<Example> examples, int bootstrap, long seed) {
        List<Example> kept = new ArrayList<>();
        List<Example> donors = new ArrayList<>();
        for (int i = 0; i < examples.size(); i++) {
            Example e = examples.get(i);
            for (int d = 1; d < examples.size(); d++) {
                Example o = examples.get((i + d) % examples.size());
                if (o.answerStart() == e.answerStart() && o.answer()[0] != e.answer()[0]
                        && differ(o.intermediates(), e.intermediates())) {
                    kept.add(e);
                    donors.add(o);
                    break;
                }
            }
        }
        if (kept.isEmpty()) {
            throw new IllegalArgumentException("no question has a donor of its length with other intermediates");
        }
        return corruptStep(loop, k, kept, donors, false, bootstrap, seed);
    }

    /**
     * Corrupting a step with chosen donors ({@code donors.get(i)} for question i, of the same
     * prompt length), at the answer position or at every position.
     */
    public static FaithfulnessCurve corruptStep(LoopModel loop, Kernels k, List<Example> examples, List<Example> donors,
                                                boolean allPositions, int bootstrap, long seed) {
        if (donors.size() != examples.size()) {
            throw new IllegalArgumentException(examples.size() + " questions but " + donors.size() + " donors");
        }
        List<int[]> prompts = prompts(examples);
        List<int[]> donorPrompts = prompts(donors);
        for (int i = 0; i < prompts.size(); i++) {
            if (prompts.get(i).length != donorPrompts.get(i).length) {
                throw new IllegalArgumentException("question " + i + " has " + prompts.get(i).length
                        + " prompt tokens, its donor " + donorPrompts.get(i).length + ": a patch needs equal lengths");
            }
        }
        LoopRunner runner = new LoopRunner(loop, k);
        int steps = loop.config().totalUtSteps();
        double[][] v = new double[prompts.size()][steps];
        for (int from = 0; from < prompts.size(); from += Answers.CHUNK) {
            int to = Math.min(prompts.size(), from + Answers.CHUNK);
            List<RunResult> donorRuns = runner.forward(donorPrompts.subList(from, to),
                    RunOptions.defaults().withCapture(CapturePlan.kinds(SiteKind.STEP_HIDDEN)));
            for (int t = 0; t < steps; t++) {
                Site site = Site.step(t, SiteKind.STEP_HIDDEN);
                List<float[]> sources = new ArrayList<>();
                donorRuns.forEach(r -> sources.add(r.trace().get(site).data()));
                List<RunResult> patched = runner.forward(prompts.subList(from, to), RunOptions.defaults()
                        .withInterventions(List.of(new StepHiddenPatch(site, sources, allPositions))));
                for (int i = 0; i < patched.size(); i++) {
                    boolean follows = Answers.lastArgmax(patched.get(i).output())
                            == Answers.lastArgmax(donorRuns.get(i).output());
                    v[from + i][t] = follows ? 1 : 0;
                }
            }
        }
        return FaithfulnessCurve.of(allPositions ? "corrupt-step-all-positions" : "corrupt-step", Answers.name(loop),
                grid(1, steps), v, bootstrap, seed);
    }

    /**
     * Noise: Gaussian noise of relative size {@code sigma} (see {@link RelativeNoise}) added to the
     * hidden state after step t (t = 1..T, fraction t/T) at every position, the remaining steps run;
     * value: the share whose answer is unchanged.
     */
    public static FaithfulnessCurve noise(LoopModel loop, Kernels k, List<Example> examples, double sigma, int bootstrap,
                                          long seed) {
        if (!(sigma >= 0) || Double.isInfinite(sigma)) {
            throw new IllegalArgumentException("sigma must be a finite number ≥ 0, got " + sigma);
        }
        List<int[]> prompts = prompts(examples);
        LoopRunner runner = new LoopRunner(loop, k);
        int steps = loop.config().totalUtSteps();
        int[] clean = Answers.next(runner, prompts, RunOptions.defaults());
        double[][] v = new double[prompts.size()][steps];
        for (int from = 0; from < prompts.size(); from += Answers.CHUNK) {
            List<int[]> chunk = prompts.subList(from, Math.min(prompts.size(), from + Answers.CHUNK));
            for (int t = 0; t < steps; t++) {
                RelativeNoise noise = new RelativeNoise(Site.step(t, SiteKind.STEP_HIDDEN), sigma, seed, from);
                List<RunResult> runs = runner.forward(chunk, RunOptions.defaults().withInterventions(List.of(noise)));
                for (int i = 0; i < runs.size(); i++) {
                    v[from + i][t] = Answers.lastArgmax(runs.get(i).output()) == clean[from + i] ? 1 : 0;
                }
            }
        }
        return FaithfulnessCurve.of("noise-" + sigma, Answers.name(loop), grid(1, steps), v, bootstrap, seed);
    }

    /** DIRECT-format prompts: each example up to and including its answer marker. */
    static List<int[]> prompts(List<Example> examples) {
        if (examples.isEmpty()) {
            throw new IllegalArgumentException("no questions");
        }
        List<int[]> out = new ArrayList<>(examples.size());
        for (Example e : examples) {
            if (Answers.separator(e) != e.answerStart() - 1) {
                throw new IllegalArgumentException("example '" + e.key() + "' is not in the DIRECT format: its"
                        + " answer does not follow the question's separator");
            }
            out.add(Arrays.copyOf(e.tokens(), e.answerStart()));
        }
        return out;
    }

    private static boolean differ(int[] a, int[] b) {
        int n = Math.min(a.length, b.length) - 1; // the last intermediate is the answer
        for (int i = 0; i < n; i++) {
            if (a[i] == b[i]) {
                return false;
            }
        }
        return true;
    }

    /** t/T for t = first..T. */
    private static double[] grid(int first, int steps) {
        double[] f = new double[steps - first + 1];
        for (int t = first; t <= steps; t++) {
            f[t - first] = (double) t / steps;
        }
        return f;
    }
}
