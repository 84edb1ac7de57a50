package org.looplens.engine.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.Random;
import jdk.incubator.vector.FloatVector;
import org.junit.jupiter.api.Test;

/** The building blocks behind VectorKernels' determinism: vector and scalar paths agree bit for bit. */
class VectorMathTest {
    private static final int LANES = VectorMath.LANES;

    @Test
    void expIsAccurateToAFewUlps() {
        for (float x = -87f; x <= 88f; x += 0.0137f) {
            double expected = Math.exp(x);
            float actual = VectorMath.exp(x);
            if (Math.abs(actual - expected) > 4 * Math.ulp((float) expected)) {
                fail("exp(" + x + ") = " + actual + ", expected " + expected);
            }
        }
    }

    @Test
    void expSaturatesOutsideItsRange() {
        assertEquals(0f, VectorMath.exp(-88f));
        assertEquals(0f, VectorMath.exp(-1e30f));
        assertEquals(Float.POSITIVE_INFINITY, VectorMath.exp(89f));
        assertEquals(1f, VectorMath.exp(0f));
        assertTrue(Float.isNaN(VectorMath.exp(Float.NaN)));
    }

    @Test
    void vectorExpAndSiluMatchTheScalarTwinBitForBit() {
        Random rnd = new Random(11);
        float[] z = new float[LANES * 64];
        float[] u = new float[z.length];
        for (int i = 0; i < z.length; i++) {
            z[i] = (rnd.nextFloat() * 2 - 1) * (i % 3 == 0 ? 200f : 20f);
            u[i] = rnd.nextFloat() * 2 - 1;
        }
        z[0] = -87f;
        z[1] = 88f;
        z[2] = -87.0001f;
        z[3] = 88.0001f;
        float[] vexp = new float[z.length];
        float[] vsilu = new float[z.length];
        for (int i = 0; i < z.length; i += LANES) {
            FloatVector vz = FloatVector.fromArray(VectorMath.SPECIES, z, i);
            VectorMath.exp(vz).intoArray(vexp, i);
            VectorMath.siluTimes(vz, FloatVector.fromArray(VectorMath.SPECIES, u, i)).intoArray(vsilu, i);
        }
        for (int i = 0; i < z.length; i++) {
            assertEquals(Float.floatToRawIntBits(VectorMath.exp(z[i])), Float.floatToRawIntBits(vexp[i]),
                    "exp(" + z[i] + ")");
            assertEquals(Float.floatToRawIntBits(VectorMath.siluTimes(z[i], u[i])), Float.floatToRawIntBits(vsilu[i]),
                    "silu(" + z[i] + ") * " + u[i]);
        }
    }

    @Test
    void blockedDotKernelsEqualThePlainDotBitForBit() {
        Random rnd = new Random(12);
        for (int len : new int[] {0, 1, 3, LANES - 1, LANES, LANES + 1, 3 * LANES + 5, 300}) {
            float[] a = TestArrays.random(rnd, 2 * len, 1f);
            float[] b = TestArrays.random(rnd, 4 * len, 1f);
            float[] four = new float[4];
            float[] eight = new float[8];
            VectorMath.dot1x4(a, 1, b, 2, len, len, four, 0);
            VectorMath.dot2x4(a, 1, 1 + len, b, 2, len, eight, 0, 4);
            for (int r = 0; r < 4; r++) {
                float plain0 = VectorMath.dot(a, 1, b, 2 + r * len, len);
                float plain1 = VectorMath.dot(a, 1 + len, b, 2 + r * len, len);
                assertEquals(Float.floatToRawIntBits(plain0), Float.floatToRawIntBits(four[r]), "1x4 len=" + len);
                assertEquals(Float.floatToRawIntBits(plain0), Float.floatToRawIntBits(eight[r]), "2x4 len=" + len);
                assertEquals(Float.floatToRawIntBits(plain1), Float.floatToRawIntBits(eight[4 + r]), "2x4 len=" + len);
            }
        }
    }

    @Test
    void sumLanesAddsEveryLane() {
        float[] a = new float[LANES];
        for (int i = 0; i < LANES; i++) {
            a[i] = 1 << i % 20;
        }
        double expected = 0;
        for (float f : a) {
            expected += f;
        }
        assertEquals(expected, VectorMath.sumLanes(FloatVector.fromArray(VectorMath.SPECIES, a, 0)));
    }
}
