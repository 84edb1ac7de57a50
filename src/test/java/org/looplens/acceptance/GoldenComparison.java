package org.looplens.acceptance;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.looplens.engine.io.SafetensorsFile;
import org.looplens.engine.io.TensorInfo;

/** Compares one tensor LoopLens wrote with the fixture's expected tensor under its tolerance group. */
final class GoldenComparison {
    private GoldenComparison() {}

    static void compare(String name, SafetensorsFile expected, String expectedName, SafetensorsFile got,
                                int length) {
        TensorInfo e = expected.info(expectedName);
        float[] want = expected.readFloats(expectedName);
        float[] have = got.readFloats(name);
        long[] wantShape = e.shape();
        long[] haveShape = got.info(name).shape();
        if (name.startsWith("rope.")) {
            // The fixture's tables cover the longest sequence; ours cover this one.
            assertEquals(wantShape[1], haveShape[1], name);
            int rows = (int) Math.min(haveShape[0], wantShape[0]);
            assertEquals(length, (int) haveShape[0], name);
            want = java.util.Arrays.copyOf(want, rows * (int) wantShape[1]);
            have = java.util.Arrays.copyOf(have, rows * (int) wantShape[1]);
        } else {
            assertArrayEquals(wantShape, haveShape, name + " shape");
        }
        double maxAbs = 0;
        for (float v : want) {
            maxAbs = Math.max(maxAbs, Math.abs(v));
        }
        Tolerance tol = Tolerance.forName(name, maxAbs);
        double worst = 0;
        int worstAt = -1;
        for (int i = 0; i < want.length; i++) {
            double diff = Math.abs(have[i] - want[i]);
            if (!tol.accepts(have[i], want[i]) && diff >= worst) {
                worst = diff;
                worstAt = i;
            }
        }
        if (worstAt >= 0) {
            throw new AssertionError(name + ": element " + worstAt + " is " + have[worstAt] + ", expected "
                    + want[worstAt] + " (|diff| " + worst + " > atol " + tol.atol() + " + rtol " + tol.rtol() + "·|exp|)");
        }
    }
}
