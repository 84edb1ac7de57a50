package org.looplens.engine.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.Random;

/** Test data in padded arrays, so every kernel call runs at a non-zero offset. */
final class TestArrays {
    /** Marks output cells a kernel must not write. */
    static final float SENTINEL = -12345.25f;

    static final int PAD = 5;

    private TestArrays() {
    }

    /** len random values in [-scale, scale) at offset PAD, surrounded by PAD more random values. */
    static float[] random(Random rnd, int len, float scale) {
        float[] a = new float[len + 2 * PAD];
        for (int i = 0; i < a.length; i++) {
            a[i] = (rnd.nextFloat() * 2 - 1) * scale;
        }
        return a;
    }

    /** An output of len cells at offset PAD, every cell (pad included) set to SENTINEL. */
    static float[] output(int len) {
        float[] a = new float[len + 2 * PAD];
        java.util.Arrays.fill(a, SENTINEL);
        return a;
    }

    /** The pad cells around [PAD, PAD + len) still hold SENTINEL. */
    static void assertPadUntouched(float[] a, int len, String where) {
        for (int i = 0; i < a.length; i++) {
            if ((i < PAD || i >= PAD + len) && a[i] != SENTINEL) {
                fail(where + ": cell " + i + " outside the output range was written: " + a[i]);
            }
        }
    }

    /** |actual - expected| <= 1e-5 * magnitude, where magnitude bounds the terms that made expected. */
    static void assertNear(double expected, float actual, double magnitude, String where) {
        double tol = 1e-5 * magnitude;
        if (!(Math.abs(actual - expected) <= tol)) {
            fail(where + ": expected " + expected + " but got " + actual + " (tolerance " + tol + ")");
        }
    }

    static void assertBitEqual(float[] expected, float[] actual, String where) {
        assertEquals(expected.length, actual.length, where);
        for (int i = 0; i < expected.length; i++) {
            if (Float.floatToRawIntBits(expected[i]) != Float.floatToRawIntBits(actual[i])) {
                fail(where + ": differs at " + i + ": " + expected[i] + " vs " + actual[i]);
            }
        }
    }
}
