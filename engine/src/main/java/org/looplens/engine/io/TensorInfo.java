package org.looplens.engine.io;

import java.util.Arrays;
import java.util.Objects;

/**
 * One tensor's header entry: its type, shape and byte range.
 *
 * <p>{@code begin} and {@code end} are relative to the start of the data section, as in the file.
 * Dimensions are {@code long} because the format allows them; reading into a
 * {@link org.looplens.engine.tensor.FloatTensor} checks they fit an {@code int}.
 */
public record TensorInfo(String name, DType dtype, long[] shape, long begin, long end) {

    public TensorInfo {
        Objects.requireNonNull(name);
        Objects.requireNonNull(dtype);
        shape = shape.clone();
    }

    @Override
    public long[] shape() {
        return shape.clone();
    }

    public int rank() {
        return shape.length;
    }

    /** Product of the dimensions; 1 for a scalar. The header check guarantees no overflow. */
    public long elementCount() {
        long n = 1;
        for (long d : shape) {
            n = Math.multiplyExact(n, d);
        }
        return n;
    }

    public long byteLength() {
        return end - begin;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TensorInfo t
                && name.equals(t.name)
                && dtype == t.dtype
                && Arrays.equals(shape, t.shape)
                && begin == t.begin
                && end == t.end;
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, dtype, Arrays.hashCode(shape), begin, end);
    }

    @Override
    public String toString() {
        return name + " " + dtype + Arrays.toString(shape) + " @[" + begin + ", " + end + ")";
    }
}
