package org.looplens.analyses.probes;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import org.looplens.analyses.steering.SteeringEffect;
import org.looplens.analyses.steering.SteeringSweep;
import org.looplens.analyses.steering.SteeringSweeps;
import org.looplens.analyses.steering.SteeringVectors;
import org.looplens.engine.data.Example;
import org.looplens.engine.kernels.Kernels;
import org.looplens.engine.model.LoopModel;
import org.looplens.engine.run.RunOptions;
import org.looplens.engine.trace.Site;
import org.looplens.engine.trace.SiteKind;

/**
 * Is what the answer probe reads at step t what the model uses? For each held-out question, the
 * probe's direction from its predicted answer towards another answer (drawn by the seed) is added
 * to STEP_HIDDEN at step t at the last position; if the probe found the model's own code, the
 * final output follows. The direction has unit length times {@code scale}, the mean norm of the
 * step's states, so strength 1 adds a vector as long as a typical state.
 *
 * @param step             the loop step steered (0-based)
 * @param strengths        the strengths run
 * @param becameTarget     per strength, the share of questions whose final output is the target
 * @param targetProbChange per strength, the mean change of the target's final probability
 * @param probeAccuracy    the probe's held-out accuracy at the step (on the final answer)
 * @param questions        held-out questions steered
 * @param scale            the mean L2 norm of the step's states
 */
public record ProbeSteering(int step, double[] strengths, double[] becameTarget, double[] targetProbChange,
                            double probeAccuracy, int questions, double scale) {

    public static ProbeSteering check(LoopModel model, Kernels kernels, List<Example> examples, int step,
                                      double[] strengths, RunOptions options, double trainFraction, long seed) {
        if (examples.isEmpty()) {
            throw new IllegalArgumentException("no questions to steer");
        }
        checkStep(model, step, options);
        return check(model, kernels, examples, ProbeStates.ofQuestions(model, kernels, examples, options), step,
                strengths, options, trainFraction, seed);
    }

    /** As above, on the questions' states already captured with {@code options} (by {@link ProbeStates#ofQuestions}). */
    public static ProbeSteering check(LoopModel model, Kernels kernels, List<Example> examples, ProbeStates states,
                                      int step, double[] strengths, RunOptions options, double trainFraction, long seed) {
        if (examples.isEmpty()) {
            throw new IllegalArgumentException("no questions to steer");
        }
        checkStep(model, step, options);
        List<int[]> prompts = ProbeStates.prompts(examples);
        double[][] x = states.states()[step];
        int n = examples.size();
        int[] answers = examples.stream().mapToInt(StepProbes::answer).toArray();
        ProbeFolds folds = ProbeFolds.split(n, trainFraction, seed);
        LinearProbe probe = LinearProbe.train(x, answers, folds.train());
        if (probe.classes().length < 2) {
            throw new IllegalArgumentException("the train fold holds a single answer; there is no direction to steer along");
        }
        double scale = 0;
        for (double[] row : x) {
            double sq = 0;
            for (double v : row) {
                sq += v * v;
            }
            scale += Math.sqrt(sq) / n;
        }
        double[] became = new double[strengths.length];
        double[] change = new double[strengths.length];
        SplittableRandom rng = new SplittableRandom(seed ^ 0x5354454552L);
        Site site = Site.step(step, SiteKind.STEP_HIDDEN);
        for (int q : folds.test()) {
            int predicted = probe.predict(x[q]);
            int[] others = Arrays.stream(probe.classes()).filter(c -> c != predicted).toArray();
            int target = others[rng.nextInt(others.length)];
            float[] direction = SteeringVectors.withLength(probe.direction(predicted, target), scale);
            int last = prompts.get(q).length - 1;
            SteeringSweep sweep = SteeringSweeps.sweep(model, kernels, prompts.get(q), site, direction, new int[] {last},
                    strengths, last, target, options);
            for (int s = 0; s < strengths.length; s++) {
                SteeringEffect e = sweep.effects().get(s);
                became[s] += e.top1() == target ? 1 : 0;
                change[s] += e.targetProb() - sweep.baseTargetProb();
            }
        }
        int m = folds.test().length;
        for (int s = 0; s < strengths.length; s++) {
            became[s] /= m;
            change[s] /= m;
        }
        return new ProbeSteering(step, strengths.clone(), became, change, probe.accuracy(x, answers, folds.test()), m,
                scale);
    }

    /** One row per strength. */
    public String toCsv() {
        StringBuilder sb = new StringBuilder("step,strength,became_target,target_prob_change\n");
        for (int s = 0; s < strengths.length; s++) {
            sb.append(String.format(Locale.ROOT, "%d,%s,%s,%s%n", step, strengths[s], becameTarget[s], targetProbChange[s]));
        }
        return sb.toString();
    }

    private static void checkStep(LoopModel model, int step, RunOptions options) {
        int steps = options.resolveSteps(model.config().totalUtSteps());
        if (step < 0 || step >= steps) {
            throw new IllegalArgumentException("step " + step + " is outside the run's steps 0.." + (steps - 1));
        }
    }
}
