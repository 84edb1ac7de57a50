package org.looplens.analyses.lens;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.looplens.analyses.readout.PositionReadout;
import org.looplens.analyses.readout.StepReadout;
import org.looplens.engine.kernels.Kernels;
import org.looplens.engine.model.LoopModel;
import org.looplens.engine.run.ExitDistribution;
import org.looplens.engine.run.LoopRunner;
import org.looplens.engine.run.RunOptions;
import org.looplens.engine.run.RunResult;
import org.looplens.engine.trace.CapturePlan;
import org.looplens.engine.trace.Site;
import org.looplens.engine.trace.SiteKind;

/**
 * What every loop step believes at every position of a run: the {@link LensQuantity} grids
 * (indexed [position][step]), the exit step the run's policy chose per position, and the per-step
 * top-k readout. Each step's logits go through the same final norm and head (the run records
 * them), so step t's distribution is the model's answer had it stopped after t+1 steps. Needs
 * the step logits in the run's capture plan.
 *
 * @param tokens        the input tokens
 * @param firstPosition the absolute position of the first token
 * @param steps         the loop steps run
 * @param trainedSteps  the model's trained {@code total_ut_steps}; more steps is extrapolation
 * @param exitSteps     the step the exit policy chose per position (−1: the expected mixture)
 * @param grids         each quantity's values, [position][step]
 * @param finalTop      per position, the final step's top-k tokens, most likely first
 * @param finalTopProbs per position, those tokens' probabilities at every step, [position][rank][step]
 * @param readout       every step's own top-k, entropy, λ and p(t)
 * @param target        the token whose probability and rank the target grids hold, or {@link #NO_TARGET}
 * @param stepKl        KL(p_t ‖ p_{t−1}) per position for t = 1..T−1, {@code [position][t − 1]}
 * @param latentChange  ‖h_t − h_{t−1}‖ / ‖h_t‖ of the step hidden states, laid out as {@code stepKl};
 *                      {@code null} when the run did not capture STEP_HIDDEN
 */
public record StepLens(int[] tokens, int firstPosition, int steps, int trainedSteps, int[] exitSteps,
                       Map<LensQuantity, double[][]> grids, int[][] finalTop, double[][][] finalTopProbs,
                       StepReadout readout, int target, double[][] stepKl, double[][] latentChange) {
    /** No target token: the lens has no {@link LensQuantity#needsTarget()} grids. */
    public static final int NO_TARGET = -1;

    /**
     * Runs the tokens through the model with every step's logits and hidden states recorded (plus
     * whatever else the options capture) and reads the lens off the run.
     */
    public static StepLens inspect(LoopModel model, Kernels kernels, int[] tokens, RunOptions options, int topK) {
        return inspect(model, kernels, tokens, options, topK, NO_TARGET);
    }

    /** As {@link #inspect(LoopModel, Kernels, int[], RunOptions, int)}, with the target token's grids. */
    public static StepLens inspect(LoopModel model, Kernels kernels, int[] tokens, RunOptions options, int topK,
                                   int target) {
        RunResult run = new LoopRunner(model, kernels).forward(tokens, lensOptions(options));
        return of(run, topK, model.config().totalUtSteps(), target);
    }

    public static StepLens of(RunResult run, int topK, int trainedSteps) {
        return of(run, topK, trainedSteps, NO_TARGET);
    }

    /**
     * The lens of a run that captured the step logits; {@code target} adds the grids of that
     * token's probability and rank ({@link #NO_TARGET}: none).
     */
    public static StepLens of(RunResult run, int topK, int trainedSteps, int target) {
        int n = run.length();
        int steps = run.steps();
        Map<LensQuantity, double[][]> grids = new EnumMap<>(LensQuantity.class);
        // Logits are read a position's row at a time: a spilled trace then never holds a whole step.
        Site lastSite = Site.step(steps - 1, SiteKind.STEP_LOGITS);
        int vocab = run.trace().shape(lastSite)[1];
        if (target != NO_TARGET && (target < 0 || target >= vocab)) {
            throw new IllegalArgumentException("target token " + target + " is outside the vocabulary of " + vocab);
        }
        for (LensQuantity q : LensQuantity.values()) {
            if (target != NO_TARGET || !q.needsTarget()) {
                grids.put(q, new double[n][steps]);
            }
        }
        ExitDistribution exit = run.exit();
        double[] logPrevious = new double[vocab];
        double[][] stepKl = new double[n][steps - 1];
        double[] logFinal = new double[vocab];
        double[] logStep = new double[vocab];
        int k = Math.min(topK, vocab);
        int[][] finalTop = new int[n][];
        double[][][] finalTopProbs = new double[n][k][steps];
        for (int i = 0; i < n; i++) {
            logSoftmax(run.trace().row(lastSite, i), 0, vocab, logFinal);
            finalTop[i] = topIndices(logFinal, k);
            int answer = finalTop[i][0];
            for (int t = 0; t < steps; t++) {
                if (t > 0) { // the step just read becomes the previous one: swap, not copy
                    double[] spare = logPrevious;
                    logPrevious = logStep;
                    logStep = spare;
                }
                logSoftmax(run.trace().row(Site.step(t, SiteKind.STEP_LOGITS), i), 0, vocab, logStep);
                for (int r = 0; r < k; r++) {
                    finalTopProbs[i][r][t] = Math.exp(logStep[finalTop[i][r]]);
                }
                double top = Double.NEGATIVE_INFINITY;
                double entropy = 0;
                double kl = 0;
                double klStep = 0;
                int rank = 1;
                int targetRank = 1;
                for (int j = 0; j < vocab; j++) {
                    double lp = logStep[j];
                    double p = Math.exp(lp);
                    top = Math.max(top, lp);
                    if (p > 0) {
                        entropy -= p * lp;
                        kl += p * (lp - logFinal[j]);
                        klStep += t > 0 ? p * (lp - logPrevious[j]) : 0;
                    }
                    if (lp > logStep[answer]) {
                        rank++;
                    }
                    if (target != NO_TARGET && lp > logStep[target]) {
                        targetRank++;
                    }
                }
                if (t > 0) {
                    stepKl[i][t - 1] = Math.max(0, klStep);
                }
                if (target != NO_TARGET) {
                    grids.get(LensQuantity.TARGET_PROB)[i][t] = Math.exp(logStep[target]);
                    grids.get(LensQuantity.TARGET_RANK)[i][t] = targetRank;
                }
                grids.get(LensQuantity.TOP1_PROB)[i][t] = Math.exp(top);
                grids.get(LensQuantity.ENTROPY)[i][t] = entropy;
                grids.get(LensQuantity.LAMBDA)[i][t] = run.lambda()[t][i];
                grids.get(LensQuantity.EXIT_PDF)[i][t] = exit.pdf(i, t);
                grids.get(LensQuantity.KL_TO_FINAL)[i][t] = Math.max(0, kl); // rounding can dip below 0
                grids.get(LensQuantity.FINAL_RANK)[i][t] = rank;
            }
        }
        return new StepLens(run.tokens().clone(), run.firstPosition(), steps, trainedSteps, run.exitSteps().clone(),
                grids, finalTop, finalTopProbs, StepReadout.of(run, topK), target, stepKl, latentChange(run));
    }

    /** The run options a lens needs: the given ones with the step logits and hidden states captured. */
    public static RunOptions lensOptions(RunOptions options) {
        return options.withCapture(options.capture().plus(CapturePlan.kinds(SiteKind.STEP_LOGITS, SiteKind.STEP_HIDDEN)));
    }

    /**
     * This lens followed by the lens of the next positions (a decoding chunk run after this one):
     * every quantity is a function of its own position's step logits, so the two side by side equal
     * the lens of the whole sequence, and a decode can grow its lens one token at a time.
     */
    public StepLens followedBy(StepLens next) {
        if (next.firstPosition != firstPosition + length() || next.steps != steps || next.target != target) {
            throw new IllegalArgumentException("the next lens starts at " + next.firstPosition + " with " + next.steps
                    + " steps and target " + next.target + "; expected " + (firstPosition + length()) + ", "
                    + steps + " and " + target);
        }
        Map<LensQuantity, double[][]> joined = new EnumMap<>(LensQuantity.class);
        grids.forEach((q, g) -> joined.put(q, concat(g, next.grids.get(q))));
        List<PositionReadout> rows = new ArrayList<>(readout.positions());
        rows.addAll(next.readout.positions());
        return new StepLens(concat(tokens, next.tokens), firstPosition, steps, trainedSteps,
                concat(exitSteps, next.exitSteps), joined, concat(finalTop, next.finalTop),
                concat(finalTopProbs, next.finalTopProbs), new StepReadout(steps, List.copyOf(rows)), target,
                concat(stepKl, next.stepKl),
                latentChange == null || next.latentChange == null ? null : concat(latentChange, next.latentChange));
    }

    private static int[] concat(int[] a, int[] b) {
        int[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    private static <T> T[] concat(T[] a, T[] b) {
        T[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    /** ‖h_t − h_{t−1}‖ / ‖h_t‖ per position, or null when the run did not capture the hidden states. */
    private static double[][] latentChange(RunResult run) {
        if (!run.trace().all().containsKey(Site.step(0, SiteKind.STEP_HIDDEN))) {
            return null;
        }
        int n = run.length();
        double[][] change = new double[n][run.steps() - 1];
        float[] before = run.trace().get(Site.step(0, SiteKind.STEP_HIDDEN)).data();
        for (int t = 1; t < run.steps(); t++) {
            float[] now = run.trace().get(Site.step(t, SiteKind.STEP_HIDDEN)).data();
            int width = now.length / n;
            for (int i = 0; i < n; i++) {
                double diff = 0;
                double norm = 0;
                for (int j = i * width; j < (i + 1) * width; j++) {
                    double d = (double) now[j] - before[j];
                    diff += d * d;
                    norm += (double) now[j] * now[j];
                }
                change[i][t - 1] = Math.sqrt(diff) / Math.sqrt(norm);
            }
            before = now;
        }
        return change;
    }

    /** Positions in the run. */
    public int length() {
        return tokens.length;
    }

    /** The value of a quantity at a position (0-based, within the run) and a step. */
    public double value(LensQuantity quantity, int position, int step) {
        double[][] grid = grids.get(quantity);
        if (grid == null) {
            throw new IllegalArgumentException("the lens has no " + quantity.label() + ": no target token was given");
        }
        return grid[position][step];
    }

    /**
     * The first step (0-based) from which the top-1 prediction at a position never changes again:
     * the step where the loop has made up its mind. 0 when every step agrees.
     */
    public int decisionStep(int position) {
        return decisionStep(readout.positions().get(position).steps().stream().mapToInt(p -> p.top1()).toArray());
    }

    /** The first step from which the top-1 prediction ({@code top1[t]} per step) stays the last step's. */
    public static int decisionStep(int[] top1) {
        int t = top1.length - 1;
        while (t > 0 && top1[t - 1] == top1[top1.length - 1]) {
            t--;
        }
        return t;
    }

    /** How many times the top-1 prediction at a position changes from one step to the next. */
    public int answerFlips(int position) {
        var steps = readout.positions().get(position).steps();
        int flips = 0;
        for (int t = 1; t < steps.size(); t++) {
            if (steps.get(t).top1() != steps.get(t - 1).top1()) {
                flips++;
            }
        }
        return flips;
    }

    /** Whether the run went past the steps the model was trained for. */
    public boolean extrapolated() {
        return steps > trainedSteps;
    }

    /**
     * The grids as CSV: one row per (position, step), one column per quantity, with the
     * position's exit step, decision step and answer flips repeated on its rows.
     */
    public String toCsv() {
        StringBuilder sb = new StringBuilder("position,token,step,exit_step,decision_step,answer_flips");
        for (LensQuantity q : quantities()) {
            sb.append(',').append(q.key().replace('-', '_'));
        }
        sb.append('\n');
        for (int i = 0; i < length(); i++) {
            for (int t = 0; t < steps; t++) {
                sb.append(firstPosition + i).append(',').append(tokens[i]).append(',').append(t).append(',')
                        .append(exitSteps[i]).append(',').append(decisionStep(i)).append(',').append(answerFlips(i));
                for (LensQuantity q : quantities()) {
                    sb.append(',').append(value(q, i, t));
                }
                sb.append('\n');
            }
        }
        return sb.toString();
    }

    /** The quantities this lens holds, in their declared order (the target's only with a target). */
    public java.util.List<LensQuantity> quantities() {
        return java.util.Arrays.stream(LensQuantity.values()).filter(grids::containsKey).toList();
    }

    private static void logSoftmax(float[] logits, int offset, int vocab, double[] out) {
        double max = Double.NEGATIVE_INFINITY;
        for (int j = 0; j < vocab; j++) {
            max = Math.max(max, logits[offset + j]);
        }
        double sum = 0;
        for (int j = 0; j < vocab; j++) {
            sum += Math.exp(logits[offset + j] - max);
        }
        double logZ = max + Math.log(sum);
        for (int j = 0; j < vocab; j++) {
            out[j] = logits[offset + j] - logZ;
        }
    }

    /** The k largest entries, largest first; ties go to the lower index, as argmax does. */
    private static int[] topIndices(double[] v, int k) {
        int[] top = new int[k];
        boolean[] taken = new boolean[v.length];
        for (int r = 0; r < k; r++) {
            int best = -1;
            for (int j = 0; j < v.length; j++) {
                if (!taken[j] && (best < 0 || v[j] > v[best])) {
                    best = j;
                }
            }
            taken[best] = true;
            top[r] = best;
        }
        return top;
    }
}
