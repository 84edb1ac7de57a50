package org.looplens.engine.data;

import java.util.function.Function;

/**
 * Hash-based split assignment. A question's split is a function of the question alone (a hash of
 * its identity), never of the index that produced it, so a question lives in exactly one split
 * however many times it is drawn: TEST questions are never trained on.
 *
 * <p>Questions at a difficulty the training split covers go {@code 1 - heldOut} to TRAIN and
 * {@code heldOut / 2} each to VALIDATION and TEST. Questions harder than anything in TRAIN are not
 * needed there, so they go half to VALIDATION and half to TEST.
 */
final class HeldOut {
    /** Draws per difficulty level before giving it up as empty for the split (tiny tasks only). */
    private static final int TRIES_PER_LEVEL = 4096;
    /** Level choices before concluding the split has no question at all. */
    private static final int LEVEL_CHOICES = 64;

    private HeldOut() {}

    static Split splitOf(long questionHash, boolean beyondTraining, double heldOut) {
        double u = SplitMix64.unit(questionHash);
        if (beyondTraining) {
            return u < 0.5 ? Split.VALIDATION : Split.TEST;
        }
        if (u < 1 - heldOut) {
            return Split.TRAIN;
        }
        return u < 1 - heldOut / 2 ? Split.VALIDATION : Split.TEST;
    }

    /** Draws a question of a given difficulty level. */
    interface Draw<Q> {
        Q draw(int level, SplitMix64 rng);
    }

    /**
     * A question of the wanted split: a level uniform in [minLevel, maxLevel], then questions of
     * that level until one hashes into the split (rejection sampling keeps the within-level
     * distribution uniform). A level with no question in the split (only in tiny tasks) is given
     * up after a while and another level chosen.
     *
     * @throws IllegalStateException when the split seems to have no question at all
     */
    static <Q> Q sample(SplitMix64 rng, int minLevel, int maxLevel, Split wanted, Draw<Q> draw,
                        Function<Q, Split> splitOf) {
        for (int choice = 0; choice < LEVEL_CHOICES; choice++) {
            int level = rng.nextInt(minLevel, maxLevel);
            for (int t = 0; t < TRIES_PER_LEVEL; t++) {
                Q q = draw.draw(level, rng);
                if (splitOf.apply(q) == wanted) {
                    return q;
                }
            }
        }
        throw new IllegalStateException("no " + wanted + " question found: the task is too small to hold questions out");
    }
}
