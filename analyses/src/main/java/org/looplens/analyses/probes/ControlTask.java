package org.looplens.analyses.probes;

import org.looplens.engine.data.SplitMix64;

/**
 * Control labels after Hewitt and Liang (2019): a fixed random function of one input token with
 * as many values as the real target. A probe can only score on them by memorising the input
 * token, so accuracy minus control accuracy (selectivity) credits the state, not the probe's
 * capacity.
 */
public final class ControlTask {
    private static final long TAG = 0x636f6e74726f6cL;

    private ControlTask() {}

    /** Per row, a label in 0..classes−1 that depends on nothing but {@code feature[row]} and the seed. */
    public static int[] labels(int[] feature, int classes, long seed) {
        if (classes < 1) {
            throw new IllegalArgumentException("classes must be at least 1, got " + classes);
        }
        int[] out = new int[feature.length];
        for (int i = 0; i < feature.length; i++) {
            out[i] = (int) Long.remainderUnsigned(SplitMix64.hash(seed, TAG, feature[i]), classes);
        }
        return out;
    }
}
