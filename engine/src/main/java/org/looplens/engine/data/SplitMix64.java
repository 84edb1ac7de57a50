package org.looplens.engine.data;

/**
 * A tiny PRNG whose whole state is one {@code long}, so data generation is reproducible and can be
 * resumed from a cursor without keeping any generator around (java.util.Random's state is hidden
 * and shared by every draw). Each example gets its own stream, {@link #keyed keyed} by the task
 * seed, split and index, so example {@code i} never depends on examples before it.
 *
 * <p>The algorithm is Steele, Lea and Flood's SplitMix64: a Weyl sequence passed through the
 * {@code mix64} finaliser. Not thread-safe; a stream belongs to one example.
 */
public final class SplitMix64 {
    private static final long GOLDEN_GAMMA = 0x9E3779B97F4A7C15L;

    private long state;

    public SplitMix64(long state) {
        this.state = state;
    }

    /** A stream keyed by several values: equal keys give equal streams, any change gives an unrelated one. */
    public static SplitMix64 keyed(long... key) {
        return new SplitMix64(hash(key));
    }

    /** A 64-bit hash of a key sequence, for seeding and for hash-based split assignment. */
    public static long hash(long... key) {
        long h = 0x5851F42D4C957F2DL;
        for (long k : key) {
            h = mix(h + GOLDEN_GAMMA + mix(k));
        }
        return h;
    }

    /** The SplitMix64 finaliser: a bijection on 64-bit values with good avalanche. */
    public static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /** The whole state; {@code new SplitMix64(state())} continues the same stream. */
    public long state() {
        return state;
    }

    public long nextLong() {
        state += GOLDEN_GAMMA;
        return mix(state);
    }

    /** Uniform in [0, bound), without modulo bias (Lemire's multiply-and-reject). */
    public int nextInt(int bound) {
        if (bound <= 0) {
            throw new IllegalArgumentException("bound must be positive, got " + bound);
        }
        long m = (nextLong() >>> 32) * bound;
        long low = m & 0xFFFFFFFFL;
        if (low < bound) {
            long threshold = (0x1_0000_0000L - bound) % bound;
            while (low < threshold) {
                m = (nextLong() >>> 32) * bound;
                low = m & 0xFFFFFFFFL;
            }
        }
        return (int) (m >>> 32);
    }

    /** Uniform in [lo, hi], both inclusive. */
    public int nextInt(int lo, int hi) {
        return lo + nextInt(hi - lo + 1);
    }

    /** Uniform in [0, bound) for bounds past the int range. */
    public long nextLong(long bound) {
        if (bound <= 0) {
            throw new IllegalArgumentException("bound must be positive, got " + bound);
        }
        long limit = Long.MAX_VALUE - Long.MAX_VALUE % bound;
        long r;
        do {
            r = nextLong() >>> 1;
        } while (r >= limit);
        return r % bound;
    }

    /** Uniform in [0, 1) with 53 random bits. */
    public double nextDouble() {
        return (nextLong() >>> 11) * 0x1.0p-53;
    }

    /** Uniform in [0, 1) derived from a hash value, for hash-bucket assignments. */
    public static double unit(long hash) {
        return (mix(hash) >>> 11) * 0x1.0p-53;
    }
}
