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
        float[] d = out.data();
        return d[position * vocab + target] - d[position * vocab + distractor];
    }
}
