package org.looplens.app.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/** Seeded random token sequences: benchmark inputs whose speed does not depend on their content. */
final class RandomBatches {
    private RandomBatches() {}

    static List<int[]> of(int batch, int length, int vocab, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        List<int[]> out = new ArrayList<>(batch);
        for (int b = 0; b < batch; b++) {
            int[] s = new int[length];
            for (int i = 0; i < length; i++) {
                s[i] = rng.nextInt(vocab);
            }
            out.add(s);
        }
        return out;
    }
}
