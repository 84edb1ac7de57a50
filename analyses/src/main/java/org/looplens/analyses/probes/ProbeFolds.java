package org.looplens.analyses.probes;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * A train/held-out split of n questions, drawn from a seed so that every analysis run with the
 * same seed trains and scores its probes on the same questions.
 *
 * @param train row indexes the probes are fitted on, ascending
 * @param test  row indexes they are scored on, ascending
 */
public record ProbeFolds(int[] train, int[] test) {

    /** A random share {@code trainFraction} of 0..n−1 for training, the rest held out; both non-empty. */
    public static ProbeFolds split(int n, double trainFraction, long seed) {
        if (!(trainFraction > 0 && trainFraction < 1)) {
            throw new IllegalArgumentException("train fraction must lie in (0, 1), got " + trainFraction);
        }
        int trainCount = (int) Math.round(n * trainFraction);
        if (trainCount < 2 || trainCount >= n) {
            throw new IllegalArgumentException(n + " questions at train fraction " + trainFraction + " leave "
                    + trainCount + " to train and " + (n - trainCount) + " to hold out; need at least 2 and 1");
        }
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        SplittableRandom rng = new SplittableRandom(seed);
        for (int i = n - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        int[] train = Arrays.copyOf(order, trainCount);
        int[] test = Arrays.copyOfRange(order, trainCount, n);
        Arrays.sort(train);
        Arrays.sort(test);
        return new ProbeFolds(train, test);
    }
}
