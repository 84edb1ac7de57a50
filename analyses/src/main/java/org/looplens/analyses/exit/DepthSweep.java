package org.looplens.analyses.exit;

import java.util.Locale;

/**
 * Accuracy as a function of the number of loop steps run, from 1 to twice the trained T, always
 * answering from the last step run. Extrapolation beyond the trained T either holds the answer,
 * keeps improving, or collapses; {@link #collapsed} flags a drop of more than
 * {@link DepthSweeps#COLLAPSE_DROP} below the accuracy at the trained T.
 *
 * @param steps        the step counts run, ascending (1..2T)
 * @param accuracy     per step count
 * @param meanEntropy  mean entropy of the answer distribution (nats), per step count
 * @param trainedSteps the model's T
 * @param questions    how many questions
 */
public record DepthSweep(int[] steps, double[] accuracy, double[] meanEntropy, boolean[] collapsed, int trainedSteps,
                         int questions) {

    public String toCsv() {
        StringBuilder sb = new StringBuilder("steps,accuracy,mean_entropy,collapsed\n");
        for (int i = 0; i < steps.length; i++) {
            sb.append(String.format(Locale.ROOT, "%d,%s,%s,%b%n", steps[i], accuracy[i], meanEntropy[i], collapsed[i]));
        }
        return sb.toString();
    }
}
