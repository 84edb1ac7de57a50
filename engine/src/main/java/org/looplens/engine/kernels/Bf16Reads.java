package org.looplens.engine.kernels;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/**
 * Reading one BF16 weight from a memory segment as float32: a BF16 value is the upper 16 bits of
 * a float32, so widening is an exact shift.
 */
final class Bf16Reads {
    private static final ValueLayout.OfShort LE = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    private Bf16Reads() {
    }

    /** Element {@code index} (not byte offset) as float32. */
    static float get(MemorySegment w, long index) {
        return Float.intBitsToFloat((w.get(LE, 2 * index) & 0xFFFF) << 16);
    }
}
