package org.looplens.engine.tensor;

import java.util.Arrays;

/**
 * A dense, row-major float tensor: a shape and a {@code float[]} that holds exactly its elements.
 *
 * <p>Small and deliberately plain: the engine's hot paths work on the backing array directly
 * through the kernels; this type carries shapes across API boundaries (traces, files, tests).
 */
public final class FloatTensor {
    private final float[] data;
    private final int[] shape;

    public FloatTensor(float[] data, int... shape) {
        long n = elementCount(shape);
        if (n != data.length) {
            throw new IllegalArgumentException(
                    "shape " + Arrays.toString(shape) + " needs " + n + " elements, got " + data.length);
        }
        this.data = data;
        this.shape = shape.clone();
    }

    public static FloatTensor zeros(int... shape) {
        return new FloatTensor(new float[Math.toIntExact(elementCount(shape))], shape);
    }

    public static FloatTensor scalar(float value) {
        return new FloatTensor(new float[] {value}, 1);
    }

    /** Number of elements a shape describes; throws on negative sizes or overflow. */
    public static long elementCount(int[] shape) {
        long n = 1;
        for (int d : shape) {
            if (d < 0) {
                throw new IllegalArgumentException("negative dimension in " + Arrays.toString(shape));
            }
            n = Math.multiplyExact(n, d);
        }
        return n;
    }

    public float[] data() {
        return data;
    }

    public int[] shape() {
        return shape.clone();
    }

    public int rank() {
        return shape.length;
    }

    public int dim(int axis) {
        return shape[axis];
    }

    public int size() {
        return data.length;
    }

    /** Element at a 2-D index. */
    public float get(int i, int j) {
        return data[i * shape[1] + j];
    }

    public void set(int i, int j, float v) {
        data[i * shape[1] + j] = v;
    }

    /** A copy with the same shape. */
    public FloatTensor copy() {
        return new FloatTensor(data.clone(), shape);
    }

    /** Same data, another shape with the same element count. */
    public FloatTensor reshape(int... newShape) {
        return new FloatTensor(data, newShape);
    }

    /** Rows [from, to) of a tensor of rank ≥ 1, copied. */
    public FloatTensor rows(int from, int to) {
        int rowSize = data.length / Math.max(1, shape[0]);
        int[] s = shape.clone();
        s[0] = to - from;
        return new FloatTensor(Arrays.copyOfRange(data, from * rowSize, to * rowSize), s);
    }

    @Override
    public String toString() {
        return "FloatTensor" + Arrays.toString(shape);
    }
}
