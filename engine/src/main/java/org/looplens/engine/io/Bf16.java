package org.looplens.engine.io;

/** Conversions between float and bfloat16, which is the upper half of a float's bits. */
public final class Bf16 {
    private Bf16() {}

    public static float toFloat(short bits) {
        return Float.intBitsToFloat((bits & 0xffff) << 16);
    }

    /**
     * Rounds to the nearest bfloat16, ties to even, as PyTorch does. Overflow gives infinity; a
     * NaN stays NaN (the quiet bit is set, so a payload only in the dropped bits is not lost).
     */
    public static short fromFloat(float f) {
        int bits = Float.floatToRawIntBits(f);
        if (Float.isNaN(f)) {
            return (short) ((bits >>> 16) | 0x0040);
        }
        int tiesToEven = 0x7fff + ((bits >>> 16) & 1);
        return (short) ((bits + tiesToEven) >>> 16);
    }
}
