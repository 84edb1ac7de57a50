package org.looplens.engine.data;

/**
 * A keyed bijection on [0, n) that needs no table: a four-round Feistel network on the smallest
 * even-bit power of two ≥ n, with cycle walking to stay inside [0, n). It lets a task walk through
 * all of its facts once per epoch in a shuffled order, from any index, without storing the order.
 */
final class IndexPermutation {
    private static final int ROUNDS = 4;

    private final long n;
    private final int halfBits;
    private final long halfMask;
    private final long[] keys = new long[ROUNDS];

    IndexPermutation(long n, long seed) {
        if (n <= 0) {
            throw new IllegalArgumentException("n must be positive, got " + n);
        }
        this.n = n;
        int bits = Math.max(2, 64 - Long.numberOfLeadingZeros(n - 1));
        this.halfBits = (bits + 1) / 2;
        this.halfMask = (1L << halfBits) - 1;
        for (int r = 0; r < ROUNDS; r++) {
            keys[r] = SplitMix64.hash(seed, r);
        }
    }

    long size() {
        return n;
    }

    /** The image of {@code x} (0 ≤ x &lt; n). */
    long apply(long x) {
        if (x < 0 || x >= n) {
            throw new IllegalArgumentException("index " + x + " is outside [0, " + n + ")");
        }
        // The network's domain is below 4n, so fewer than four steps on average.
        do {
            x = encrypt(x);
        } while (x >= n);
        return x;
    }

    private long encrypt(long x) {
        long left = x >>> halfBits;
        long right = x & halfMask;
        for (long key : keys) {
            long next = left ^ (SplitMix64.mix(right ^ key) & halfMask);
            left = right;
            right = next;
        }
        return (left << halfBits) | right;
    }
}
