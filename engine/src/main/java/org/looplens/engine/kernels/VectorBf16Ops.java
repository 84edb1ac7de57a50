package org.looplens.engine.kernels;

import java.lang.foreign.MemorySegment;
import java.nio.ByteOrder;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Single-threaded pieces of the BF16 matrix product. A little-endian int holds two BF16 weights:
 * the even one in its low half, the odd one in its high half, so {@code bits << 16} and
 * {@code bits & 0xFFFF0000} widen both to float32 without any lane shuffling. The input rows are
 * split once into their even and odd elements to match ({@link #deinterleave}). One weight row
 * feeds up to four input rows per load; lanes are summed in a fixed order, so results do not
 * depend on the thread that computed them.
 */
final class VectorBf16Ops {
    private static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;
    private static final VectorSpecies<Integer> I = VectorSpecies.of(int.class, F.vectorShape());

    private VectorBf16Ops() {
    }

    /**
     * The even elements of each of the n rows of x (length k) followed by the odd ones:
     * {@code [row][even k/2 | odd k/2]} into {@code split} (at least n·k long); k must be even.
     */
    static float[] deinterleave(float[] x, int xOff, int n, int k, float[] split) {
        int half = k / 2;
        for (int i = 0; i < n; i++) {
            int src = xOff + i * k;
            int dst = i * k;
            for (int p = 0; p < half; p++) {
                split[dst + p] = x[src + 2 * p];
                split[dst + half + p] = x[src + 2 * p + 1];
            }
        }
        return split;
    }

    /** {@code out[i][j] = x[i] · w[j]} for all n rows, x given by {@link #deinterleave}. */
    static void column(float[] split, int n, int k, MemorySegment w, int j, float[] out, int outOff, int m,
                       float[] lanes) {
        int half = k / 2;
        long base = 2L * j * k; // byte offset of weight row j
        int bound = I.loopBound(half);
        int i = 0;
        for (; i + 2 <= n; i += 2) {
            int e0 = i * k;
            int e1 = e0 + k;
            FloatVector a0 = FloatVector.zero(F);
            FloatVector a1 = FloatVector.zero(F);
            for (int p = 0; p < bound; p += I.length()) {
                IntVector bits = IntVector.fromMemorySegment(I, w, base + 4L * p, ByteOrder.LITTLE_ENDIAN);
                FloatVector even = bits.lanewise(VectorOperators.LSHL, 16).reinterpretAsFloats();
                FloatVector odd = bits.lanewise(VectorOperators.AND, 0xFFFF0000).reinterpretAsFloats();
                a0 = FloatVector.fromArray(F, split, e0 + p).fma(even, a0);
                a0 = FloatVector.fromArray(F, split, e0 + half + p).fma(odd, a0);
                a1 = FloatVector.fromArray(F, split, e1 + p).fma(even, a1);
                a1 = FloatVector.fromArray(F, split, e1 + half + p).fma(odd, a1);
            }
            float s0 = sum(a0, lanes) + tail(split, e0, half, bound, w, base);
            float s1 = sum(a1, lanes) + tail(split, e1, half, bound, w, base);
            out[outOff + i * m + j] = s0;
            out[outOff + (i + 1) * m + j] = s1;
        }
        for (; i < n; i++) {
            int e0 = i * k;
            FloatVector a0 = FloatVector.zero(F);
            for (int p = 0; p < bound; p += I.length()) {
                IntVector bits = IntVector.fromMemorySegment(I, w, base + 4L * p, ByteOrder.LITTLE_ENDIAN);
                a0 = FloatVector.fromArray(F, split, e0 + p)
                        .fma(bits.lanewise(VectorOperators.LSHL, 16).reinterpretAsFloats(), a0);
                a0 = FloatVector.fromArray(F, split, e0 + half + p)
                        .fma(bits.lanewise(VectorOperators.AND, 0xFFFF0000).reinterpretAsFloats(), a0);
            }
            out[outOff + i * m + j] = sum(a0, lanes) + tail(split, e0, half, bound, w, base);
        }
    }

    /** The pairs past the vector loop, scalar. */
    private static float tail(float[] split, int row, int half, int from, MemorySegment w, long base) {
        float s = 0;
        for (int p = from; p < half; p++) {
            s += split[row + p] * Bf16Reads.get(w, base / 2 + 2L * p);
            s += split[row + half + p] * Bf16Reads.get(w, base / 2 + 2L * p + 1);
        }
        return s;
    }

    /** Scratch for {@link #sum}: one per thread and call. */
    static float[] lanes() {
        return new float[F.length()];
    }

    /** Lanes summed left to right: a fixed order, unlike {@code reduceLanes}. */
    private static float sum(FloatVector v, float[] lanes) {
        v.intoArray(lanes, 0);
        float s = 0;
        for (float lane : lanes) {
            s += lane;
        }
        return s;
    }
}
