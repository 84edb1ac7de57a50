package org.looplens.analyses.patching;

import org.looplens.engine.run.RunResult;

/**
 * The metric patching measures: logit(target) − logit(distractor) in the run's output (the
 * exit policy's logits) at one position.
 *
 * @param position  0-based index within the input (usually the last)
 * @param target    the token the clean input should predict
 * @param distractor the token the corrupted input should predict
 */
public record LogitDifference(int position, int target, int distractor) {

    public double of(RunResult run) {
        float[] d = checkedOutput(run);
        int vocab = run.output().dim(1);
        return d[position * vocab + target] - d[position * vocab + distractor];
    }

    /** The probability the run's output gives the target: softmax of the output row, in double. */
    public double targetProbability(RunResult run) {
        float[] d = checkedOutput(run);
        int vocab = run.output().dim(1);
        int base = position * vocab;
        double max = Double.NEGATIVE_INFINITY;
        for (int j = 0; j < vocab; j++) {
            max = Math.max(max, d[base + j]);
        }
        double sum = 0;
        for (int j = 0; j < vocab; j++) {
            sum += Math.exp(d[base + j] - max);
        }
        return Math.exp(d[base + target] - max) / sum;
    }

    private float[] checkedOutput(RunResult run) {
        var out = run.output();
        int vocab = out.dim(1);
        if (position < 0 || position >= out.dim(0)) {
            throw new IllegalArgumentException("position " + position + " is outside the input's 0.." + (out.dim(0) - 1));
        }
        for (int token : new int[] {target, distractor}) {
            if (token < 0 || token >= vocab) {
                throw new IllegalArgumentException("token " + token + " is outside the vocabulary 0.." + (vocab - 1));
            }
        }
        return out.data();
    }
}
