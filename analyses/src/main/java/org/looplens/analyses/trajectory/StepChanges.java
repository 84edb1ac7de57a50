package org.looplens.analyses.trajectory;

import java.util.Locale;

/**
 * How far each traced state moves from one loop step to the next, and whether the movement dies
 * down past the trained T. Step-to-step arrays are {@code [trace][t − 1]} for the transitions
 * t = 1..T−1 (step 0 has no predecessor); {@link #distanceToLast} is {@code [trace][t]}.
 *
 * @param stepDistance       ‖h_t − h_{t−1}‖
 * @param relativeChange     ‖h_t − h_{t−1}‖ / ‖h_t‖
 * @param cosine             cos(h_t, h_{t−1})
 * @param distanceToLast     ‖h_t − h_{T−1}‖ (0 at the last step)
 * @param meanRelativeChange the relative change averaged over the traces, per transition
 * @param trainedSteps       the model's trained T
 * @param convergence        whether the mean relative change shrinks past the trained T
 */
public record StepChanges(double[][] stepDistance, double[][] relativeChange, double[][] cosine,
                          double[][] distanceToLast, double[] meanRelativeChange, int trainedSteps,
                          Convergence convergence) {

    /** The changes of states given as {@code [trace][step][coordinate]}, all with the same steps. */
    public static StepChanges of(double[][][] states, int trainedSteps) {
        if (states.length == 0) {
            throw new IllegalArgumentException("no traced states");
        }
        if (trainedSteps < 1) {
            throw new IllegalArgumentException("the trained T must be at least 1, got " + trainedSteps);
        }
        int n = states.length;
        int steps = states[0].length;
        double[][] distance = new double[n][Math.max(0, steps - 1)];
        double[][] relative = new double[n][Math.max(0, steps - 1)];
        double[][] cosine = new double[n][Math.max(0, steps - 1)];
        double[][] toLast = new double[n][steps];
        double[] mean = new double[Math.max(0, steps - 1)];
        for (int i = 0; i < n; i++) {
            if (states[i].length != steps) {
                throw new IllegalArgumentException("trace " + i + " has " + states[i].length + " steps, trace 0 has " + steps);
            }
            for (int t = 0; t < steps; t++) {
                toLast[i][t] = distance(states[i][t], states[i][steps - 1]);
                if (t > 0) {
                    double[] now = states[i][t];
                    double[] before = states[i][t - 1];
                    distance[i][t - 1] = distance(now, before);
                    relative[i][t - 1] = distance[i][t - 1] / norm(now);
                    cosine[i][t - 1] = dot(now, before) / (norm(now) * norm(before));
                    mean[t - 1] += relative[i][t - 1] / n;
                }
            }
        }
        return new StepChanges(distance, relative, cosine, toLast, mean, trainedSteps,
                convergence(mean, trainedSteps));
    }

    /** The loop steps run. */
    public int steps() {
        return distanceToLast[0].length;
    }

    /**
     * The transition (index into the step-to-step arrays) the extrapolated steps are judged
     * against: the one into the trained T's last step, or the first when T was trained as 1.
     */
    public static int referenceTransition(int trainedSteps) {
        return Math.max(trainedSteps - 1, 1) - 1;
    }

    /**
     * The mean relative change at the last step over the one at the reference transition: below 1
     * when the loop settles past the trained T. NaN when the run has no step past the reference.
     */
    public double changeRatio() {
        int ref = referenceTransition(trainedSteps);
        int last = meanRelativeChange.length - 1;
        return last > ref ? meanRelativeChange[last] / meanRelativeChange[ref] : Double.NaN;
    }

    private static Convergence convergence(double[] mean, int trainedSteps) {
        int steps = mean.length + 1;
        if (steps <= trainedSteps) {
            return Convergence.WITHIN_TRAINED;
        }
        int ref = referenceTransition(trainedSteps);
        int last = mean.length - 1;
        if (last == ref) {
            return Convergence.UNDETERMINED;
        }
        return mean[last] < mean[ref] ? Convergence.CONVERGING : Convergence.DRIFTING;
    }

    /** Per step, the means over the traces: one row per step, empty step-to-step cells at step 0. */
    public String toCsv() {
        StringBuilder sb = new StringBuilder(
                "step,past_trained,mean_step_distance,mean_relative_change,mean_cosine,mean_distance_to_last\n");
        int n = distanceToLast.length;
        for (int t = 0; t < steps(); t++) {
            double toLast = 0;
            for (double[] row : distanceToLast) {
                toLast += row[t] / n;
            }
            sb.append(t).append(',').append(t >= trainedSteps).append(',');
            if (t > 0) {
                sb.append(String.format(Locale.ROOT, "%s,%s,%s", mean(stepDistance, t - 1), meanRelativeChange[t - 1],
                        mean(cosine, t - 1)));
            } else {
                sb.append(",,");
            }
            sb.append(',').append(toLast).append('\n');
        }
        return sb.toString();
    }

    private static double mean(double[][] rows, int column) {
        double sum = 0;
        for (double[] row : rows) {
            sum += row[column];
        }
        return sum / rows.length;
    }

    static double distance(double[] a, double[] b) {
        double sum = 0;
        for (int j = 0; j < a.length; j++) {
            double d = a[j] - b[j];
            sum += d * d;
        }
        return Math.sqrt(sum);
    }

    static double norm(double[] a) {
        return Math.sqrt(dot(a, a));
    }

    static double dot(double[] a, double[] b) {
        double sum = 0;
        for (int j = 0; j < a.length; j++) {
            sum += a[j] * b[j];
        }
        return sum;
    }
}
