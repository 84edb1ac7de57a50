package org.looplens.engine.io;

/** Counting NaN and infinite values, which a checkpoint should not contain. */
public final class NonFinite {
    private NonFinite() {}

    /** Number of NaN or infinite values in {@code data[from, from + length)}. */
    public static long count(float[] data, int from, int length) {
        long n = 0;
        for (int i = from, end = from + length; i < end; i++) {
            if (!Float.isFinite(data[i])) {
                n++;
            }
        }
        return n;
    }

    public static long count(float[] data) {
        return count(data, 0, data.length);
    }
}
