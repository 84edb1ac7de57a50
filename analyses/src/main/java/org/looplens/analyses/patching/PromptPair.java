package org.looplens.analyses.patching;

/**
 * One clean/corrupted pair of a patching experiment over a prompt set, with the metric it is
 * measured by (logit(clean answer) − logit(corrupted answer), usually at the last position).
 */
public record PromptPair(int[] clean, int[] corrupt, LogitDifference metric) {

    public PromptPair {
        if (clean.length != corrupt.length) {
            throw new IllegalArgumentException("a pair's clean and corrupted prompts must have the same length, got "
                    + clean.length + " and " + corrupt.length);
        }
    }
}
