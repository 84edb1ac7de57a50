package org.looplens.engine.tensor;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * A weight matrix {@code [rows, cols]} in the Hugging Face {@code nn.Linear} layout, held either
 * as float32 on the heap (trainable) or as BF16 in a memory-mapped checkpoint, used in place so
 * that a multi-GB model is never copied into float32: kernels convert rows on the fly.
 */
public final class WeightMatrix {
    private static final ValueLayout.OfShort BF16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(java.nio.ByteOrder.LITTLE_ENDIAN);

    private final int rows;
    private final int cols;
    private final float[] dense;
    private final MemorySegment bf16;

    private WeightMatrix(int rows, int cols, float[] dense, MemorySegment bf16) {
        this.rows = rows;
        this.cols = cols;
        this.dense = dense;
        this.bf16 = bf16;
    }

    public static WeightMatrix dense(float[] data, int rows, int cols) {
        if ((long) rows * cols != data.length) {
            throw new IllegalArgumentException(rows + "×" + cols + " matrix needs " + (long) rows * cols
                    + " floats, got " + data.length);
        }
        return new WeightMatrix(rows, cols, data, null);
    }

    /** A BF16 matrix read in place from {@code segment} (row-major, little-endian). */
    public static WeightMatrix bf16(MemorySegment segment, int rows, int cols) {
        if (segment.byteSize() != 2L * rows * cols) {
            throw new IllegalArgumentException(rows + "×" + cols + " BF16 matrix needs " + 2L * rows * cols
                    + " bytes, got " + segment.byteSize());
        }
        return new WeightMatrix(rows, cols, null, segment);
    }

    public int rows() {
        return rows;
    }

    public int cols() {
        return cols;
    }

    public boolean isDense() {
        return dense != null;
    }

    /** The float32 values; only dense matrices have them (training needs float32 weights). */
    public float[] dense() {
        if (dense == null) {
            throw new IllegalStateException("this matrix is memory-mapped BF16; load the checkpoint as float32 to train");
        }
        return dense;
    }

    /** The mapped BF16 bytes; only BF16 matrices have them. */
    public MemorySegment bf16() {
        if (bf16 == null) {
            throw new IllegalStateException("this matrix is float32 on the heap");
        }
        return bf16;
    }

    /** Bytes one full read of the matrix touches. */
    public long bytes() {
        return dense != null ? 4L * dense.length : bf16.byteSize();
    }

    /** Copies row r as float32 into {@code out[off..off+cols)} (an embedding lookup). */
    public void copyRow(int r, float[] out, int off) {
        if (dense != null) {
            System.arraycopy(dense, r * cols, out, off, cols);
            return;
        }
        long base = 2L * r * cols;
        for (int c = 0; c < cols; c++) {
            out[off + c] = Float.intBitsToFloat((bf16.get(BF16, base + 2L * c) & 0xFFFF) << 16);
        }
    }
}
