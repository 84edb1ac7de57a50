package org.looplens.engine.io;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/**
 * Converts F32, F16 and BF16 elements of a tensor's bytes to floats.
 *
 * <p>Layouts are unaligned and little-endian: safetensors data is little-endian, and a crafted
 * header may put a tensor at any byte offset.
 */
final class FloatDecoder {
    static final ValueLayout.OfFloat F32 = ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    static final ValueLayout.OfShort HALF = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    /** Half-precision values are staged in chunks so decoding needs no second full-size array. */
    private static final int CHUNK = 1 << 16;

    private FloatDecoder() {}

    /**
     * Decodes {@code count} elements starting at element {@code first} of {@code tensor} into
     * {@code dst[off, off + count)}. The dtype must be F32, F16 or BF16.
     */
    static void decode(MemorySegment tensor, DType dtype, long first, float[] dst, int off, int count) {
        switch (dtype) {
            case F32 -> MemorySegment.copy(tensor, F32, first * 4, dst, off, count);
            case F16, BF16 -> decodeHalf(tensor, dtype == DType.BF16, first, dst, off, count);
            default -> throw new IllegalArgumentException("not a float dtype: " + dtype);
        }
    }

    private static void decodeHalf(MemorySegment tensor, boolean bf16, long first, float[] dst, int off, int count) {
        short[] buf = new short[Math.min(CHUNK, count)];
        for (int done = 0; done < count; ) {
            int n = Math.min(buf.length, count - done);
            MemorySegment.copy(tensor, HALF, (first + done) * 2, buf, 0, n);
            for (int i = 0; i < n; i++) {
                dst[off + done + i] = bf16 ? Bf16.toFloat(buf[i]) : Float.float16ToFloat(buf[i]);
            }
            done += n;
        }
    }
}
