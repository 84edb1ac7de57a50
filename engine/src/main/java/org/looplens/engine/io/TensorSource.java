package org.looplens.engine.io;

import java.util.function.Supplier;
import org.looplens.engine.tensor.FloatTensor;

/**
 * A tensor to be written whose shape is known now and whose values are made when the writer
 * reaches it, so a file larger than the heap (a spilled trace) is written one tensor at a time.
 */
public record TensorSource(int[] shape, Supplier<FloatTensor> values) {
    public TensorSource {
        shape = shape.clone();
    }

    /** A tensor already in memory. */
    public static TensorSource of(FloatTensor t) {
        return new TensorSource(t.shape(), () -> t);
    }

    @Override
    public int[] shape() {
        return shape.clone();
    }

    /** Number of elements. */
    public long size() {
        return FloatTensor.elementCount(shape);
    }
}
