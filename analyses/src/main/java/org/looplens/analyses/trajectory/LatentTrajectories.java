package org.looplens.analyses.trajectory;

import java.util.ArrayList;
import java.util.List;
import org.looplens.analyses.linalg.Pca;
import org.looplens.engine.kernels.Kernels;
import org.looplens.engine.model.LoopModel;
import org.looplens.engine.run.LoopRunner;
import org.looplens.engine.run.RunOptions;
import org.looplens.engine.run.RunResult;
import org.looplens.engine.trace.CapturePlan;
import org.looplens.engine.trace.Site;
import org.looplens.engine.trace.SiteKind;

/**
 * The paths the latent state of chosen tokens takes through the loop steps: one PCA fitted on
 * every step state of every traced token, each token's path in its coordinates (step 0 → T−1),
 * and how far the state moves per step. The state is the step's hidden state after the final
 * norm (what the head and the gate read, and the next step's input) or the one before it.
 *
 * @param kind         {@link SiteKind#STEP_HIDDEN} or {@link SiteKind#STEP_PRENORM}
 * @param steps        the loop steps run; more than the trained T is extrapolation
 * @param trainedSteps the model's trained T
 * @param traced       the traced tokens, in the order of the paths
 * @param pca          the PCA of all {@code traced × steps} states
 * @param path         each traced token's coordinates at every step, {@code [trace][step][component]}
 * @param changes      the step-to-step movement of the same states
 */
public record LatentTrajectories(SiteKind kind, int steps, int trainedSteps, List<TracedToken> traced, Pca pca,
                                 double[][][] path, StepChanges changes) {
    private static final int CHUNK = 64;

    /** Runs the prompts for {@code steps} loop steps and traces the chosen positions' states. */
    public static LatentTrajectories trace(LoopModel model, Kernels kernels, List<int[]> prompts, int steps,
                                           SiteKind kind, TracedPositions positions, int components) {
        if (kind != SiteKind.STEP_HIDDEN && kind != SiteKind.STEP_PRENORM) {
            throw new IllegalArgumentException("trajectories follow STEP_HIDDEN or STEP_PRENORM, not " + kind);
        }
        if (prompts.isEmpty()) {
            throw new IllegalArgumentException("no prompts to trace");
        }
        if (steps < 1) {
            throw new IllegalArgumentException("steps must be at least 1, got " + steps);
        }
        LoopRunner runner = new LoopRunner(model, kernels);
        RunOptions options = RunOptions.defaults().withSteps(steps).withCapture(CapturePlan.kinds(kind));
        List<TracedToken> traced = new ArrayList<>();
        List<double[][]> states = new ArrayList<>();
        for (int from = 0; from < prompts.size(); from += CHUNK) {
            List<int[]> chunk = prompts.subList(from, Math.min(prompts.size(), from + CHUNK));
            List<RunResult> runs = runner.forward(chunk, options);
            for (int b = 0; b < chunk.size(); b++) {
                RunResult run = runs.get(b);
                int first = positions == TracedPositions.LAST ? run.length() - 1 : 0;
                for (int i = first; i < run.length(); i++) {
                    traced.add(new TracedToken(from + b, i, run.tokens()[i]));
                    states.add(stateRows(run, kind, i));
                }
            }
        }
        return of(kind, model.config().totalUtSteps(), traced, states.toArray(double[][][]::new), components);
    }

    /**
     * The trajectories of given states, {@code [trace][step][coordinate]}: the PCA of all of them
     * with {@code components} components, the paths in its coordinates and the step changes.
     */
    public static LatentTrajectories of(SiteKind kind, int trainedSteps, List<TracedToken> traced, double[][][] states,
                                        int components) {
        if (traced.size() != states.length) {
            throw new IllegalArgumentException(traced.size() + " traced tokens for " + states.length + " state paths");
        }
        StepChanges changes = StepChanges.of(states, trainedSteps);
        int steps = states[0].length;
        double[][] rows = new double[states.length * steps][];
        for (int i = 0; i < states.length; i++) {
            for (int t = 0; t < steps; t++) {
                rows[i * steps + t] = states[i][t];
            }
        }
        if (rows.length < 2) {
            throw new IllegalArgumentException("a PCA needs at least two states; trace more tokens or run more steps");
        }
        Pca pca = Pca.fit(rows, components);
        double[][][] path = new double[states.length][steps][];
        for (int i = 0; i < states.length; i++) {
            for (int t = 0; t < steps; t++) {
                path[i][t] = pca.project(states[i][t]);
            }
        }
        return new LatentTrajectories(kind, steps, trainedSteps, List.copyOf(traced), pca, path, changes);
    }

    /** Whether the run went past the trained T. */
    public boolean extrapolated() {
        return steps > trainedSteps;
    }

    /** The share of the variance of all traced states each component explains, largest first. */
    public double[] explainedRatio() {
        return pca.explainedRatio();
    }

    /**
     * One row per (traced token, step): its path coordinates and its step changes (the
     * step-to-step cells of step 0 are empty).
     */
    public String toCsv() {
        StringBuilder sb = new StringBuilder("prompt,position,token,step");
        for (int k = 0; k < pca.components().length; k++) {
            sb.append(",pc").append(k + 1);
        }
        sb.append(",step_distance,relative_change,cosine,distance_to_last\n");
        for (int i = 0; i < traced.size(); i++) {
            TracedToken tok = traced.get(i);
            for (int t = 0; t < steps; t++) {
                sb.append(tok.prompt()).append(',').append(tok.position()).append(',').append(tok.token()).append(',')
                        .append(t);
                for (double c : path[i][t]) {
                    sb.append(',').append(c);
                }
                if (t > 0) {
                    sb.append(',').append(changes.stepDistance()[i][t - 1]).append(',')
                            .append(changes.relativeChange()[i][t - 1]).append(',').append(changes.cosine()[i][t - 1]);
                } else {
                    sb.append(",,,");
                }
                sb.append(',').append(changes.distanceToLast()[i][t]).append('\n');
            }
        }
        return sb.toString();
    }

    /** One position's state at every step, widened to double. */
    private static double[][] stateRows(RunResult run, SiteKind kind, int position) {
        double[][] rows = new double[run.steps()][];
        for (int t = 0; t < run.steps(); t++) {
            float[] s = run.trace().row(Site.step(t, kind), position);
            rows[t] = new double[s.length];
            for (int j = 0; j < s.length; j++) {
                rows[t][j] = s[j];
            }
        }
        return rows;
    }
}
