package org.looplens.analyses.probes;

import java.util.Arrays;
import org.looplens.analyses.linalg.LogisticRegression;

/**
 * A linear classifier from hidden states to labels (token ids, or any ints): multinomial logistic
 * regression over the labels seen in training. A label never seen in training cannot be
 * predicted, so held-out questions that carry one count as misses.
 *
 * @param classes the labels, ascending; class c of the regression is {@code classes[c]}
 * @param model   the fitted regression, or null when training saw a single label (then the probe
 *                always predicts it)
 */
public record LinearProbe(int[] classes, LogisticRegression model) {
    /** The L2 penalty on standardised inputs: enough to keep separable folds finite, small enough not to bias. */
    public static final double LAMBDA = 1e-2;

    /** Fits a probe on the given rows of {@code states} (each a state) and {@code labels}. */
    public static LinearProbe train(double[][] states, int[] labels, int[] rows) {
        if (rows.length == 0) {
            throw new IllegalArgumentException("a probe needs at least one training row");
        }
        int[] classes = Arrays.stream(rows).map(i -> labels[i]).distinct().sorted().toArray();
        if (classes.length == 1) {
            return new LinearProbe(classes, null);
        }
        double[][] x = new double[rows.length][];
        int[] y = new int[rows.length];
        for (int r = 0; r < rows.length; r++) {
            x[r] = states[rows[r]];
            y[r] = Arrays.binarySearch(classes, labels[rows[r]]);
        }
        return new LinearProbe(classes, LogisticRegression.fit(x, y, classes.length, LAMBDA));
    }

    /** The label the probe reads off one state. */
    public int predict(double[] state) {
        return model == null ? classes[0] : classes[model.predict(state)];
    }

    /** The share of the given rows whose label the probe reads correctly. */
    public double accuracy(double[][] states, int[] labels, int[] rows) {
        int correct = 0;
        for (int i : rows) {
            correct += predict(states[i]) == labels[i] ? 1 : 0;
        }
        return (double) correct / rows.length;
    }

    /** Whether the probe can predict this label at all. */
    public boolean knows(int label) {
        return Arrays.binarySearch(classes, label) >= 0;
    }

    /**
     * The direction in state space that raises the logit of {@code to} against {@code from}
     * fastest: the difference of their weight vectors (in the states' own units).
     */
    public double[] direction(int from, int to) {
        if (model == null || !knows(from) || !knows(to)) {
            throw new IllegalArgumentException("the probe does not know both labels " + from + " and " + to
                    + " (it knows " + Arrays.toString(classes) + ")");
        }
        int a = Arrays.binarySearch(classes, from);
        int b = Arrays.binarySearch(classes, to);
        double[][] w = model.weights();
        double[] d = new double[w.length];
        for (int j = 0; j < d.length; j++) {
            d[j] = w[j][b] - w[j][a];
        }
        return d;
    }
}
