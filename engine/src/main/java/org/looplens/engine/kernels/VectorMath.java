package org.looplens.engine.kernels;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShuffle;
import jdk.incubator.vector.VectorSpecies;

/**
 * Vector building blocks with a fixed evaluation order, so a result never depends on JIT state,
 * thread count or whether an element went down the vector or the scalar path.
 *
 * <p>{@code reduceLanes(ADD)} and {@code lanewise(EXP)} are avoided on purpose: the API leaves
 * their order and accuracy unspecified, and the interpreter and C2 may disagree.
 */
final class VectorMath {
    static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;
    static final int LANES = SPECIES.length();

    /** Shuffles moving lane i+w to lane i, for w = LANES/2, LANES/4, ..., 1: a fixed summation tree. */
    private static final VectorShuffle<Float>[] FOLDS = folds();

    private VectorMath() {
    }

    @SuppressWarnings({"unchecked", "rawtypes"}) // generic array creation
    private static VectorShuffle<Float>[] folds() {
        int count = Integer.numberOfTrailingZeros(LANES);
        VectorShuffle<Float>[] folds = new VectorShuffle[count];
        for (int s = 0; s < count; s++) {
            folds[s] = VectorShuffle.iota(SPECIES, LANES >> (s + 1), 1, true);
        }
        return folds;
    }

    /** Sum of the lanes as a balanced tree in a fixed order. */
    static float sumLanes(FloatVector v) {
        for (VectorShuffle<Float> fold : FOLDS) {
            v = v.add(v.rearrange(fold));
        }
        return v.lane(0);
    }

    /** Dot product of a[ao..ao+len) and b[bo..bo+len); the reference order every dot kernel follows. */
    static float dot(float[] a, int ao, float[] b, int bo, int len) {
        int bound = SPECIES.loopBound(len);
        FloatVector acc = FloatVector.zero(SPECIES);
        for (int p = 0; p < bound; p += LANES) {
            acc = FloatVector.fromArray(SPECIES, a, ao + p).fma(FloatVector.fromArray(SPECIES, b, bo + p), acc);
        }
        float s = sumLanes(acc);
        for (int p = bound; p < len; p++) {
            s = Math.fma(a[ao + p], b[bo + p], s);
        }
        return s;
    }

    /**
     * Four dot products of one row of a with rows b, b+bStride, b+2bStride, b+3bStride, written to
     * out[o..o+4). Each equals {@link #dot} exactly; sharing the loads of a is the speed-up.
     */
    static void dot1x4(float[] a, int ao, float[] b, int bo, int bStride, int len, float[] out, int o) {
        int b1 = bo + bStride;
        int b2 = b1 + bStride;
        int b3 = b2 + bStride;
        int bound = SPECIES.loopBound(len);
        FloatVector c0 = FloatVector.zero(SPECIES);
        FloatVector c1 = c0;
        FloatVector c2 = c0;
        FloatVector c3 = c0;
        for (int p = 0; p < bound; p += LANES) {
            FloatVector va = FloatVector.fromArray(SPECIES, a, ao + p);
            c0 = va.fma(FloatVector.fromArray(SPECIES, b, bo + p), c0);
            c1 = va.fma(FloatVector.fromArray(SPECIES, b, b1 + p), c1);
            c2 = va.fma(FloatVector.fromArray(SPECIES, b, b2 + p), c2);
            c3 = va.fma(FloatVector.fromArray(SPECIES, b, b3 + p), c3);
        }
        float s0 = sumLanes(c0);
        float s1 = sumLanes(c1);
        float s2 = sumLanes(c2);
        float s3 = sumLanes(c3);
        for (int p = bound; p < len; p++) {
            float ap = a[ao + p];
            s0 = Math.fma(ap, b[bo + p], s0);
            s1 = Math.fma(ap, b[b1 + p], s1);
            s2 = Math.fma(ap, b[b2 + p], s2);
            s3 = Math.fma(ap, b[b3 + p], s3);
        }
        out[o] = s0;
        out[o + 1] = s1;
        out[o + 2] = s2;
        out[o + 3] = s3;
    }

    /**
     * Eight dot products: rows a0 and a1 (each of length len) against four consecutive rows of b
     * (stride len), written to out[o0..o0+4) and out[o1..o1+4). Each equals {@link #dot} exactly.
     */
    static void dot2x4(float[] a, int a0, int a1, float[] b, int bo, int len, float[] out, int o0, int o1) {
        int b1 = bo + len;
        int b2 = b1 + len;
        int b3 = b2 + len;
        int bound = SPECIES.loopBound(len);
        FloatVector c00 = FloatVector.zero(SPECIES);
        FloatVector c01 = c00;
        FloatVector c02 = c00;
        FloatVector c03 = c00;
        FloatVector c10 = c00;
        FloatVector c11 = c00;
        FloatVector c12 = c00;
        FloatVector c13 = c00;
        for (int p = 0; p < bound; p += LANES) {
            FloatVector x0 = FloatVector.fromArray(SPECIES, a, a0 + p);
            FloatVector x1 = FloatVector.fromArray(SPECIES, a, a1 + p);
            FloatVector w = FloatVector.fromArray(SPECIES, b, bo + p);
            c00 = x0.fma(w, c00);
            c10 = x1.fma(w, c10);
            w = FloatVector.fromArray(SPECIES, b, b1 + p);
            c01 = x0.fma(w, c01);
            c11 = x1.fma(w, c11);
            w = FloatVector.fromArray(SPECIES, b, b2 + p);
            c02 = x0.fma(w, c02);
            c12 = x1.fma(w, c12);
            w = FloatVector.fromArray(SPECIES, b, b3 + p);
            c03 = x0.fma(w, c03);
            c13 = x1.fma(w, c13);
        }
        float s00 = sumLanes(c00);
        float s01 = sumLanes(c01);
        float s02 = sumLanes(c02);
        float s03 = sumLanes(c03);
        float s10 = sumLanes(c10);
        float s11 = sumLanes(c11);
        float s12 = sumLanes(c12);
        float s13 = sumLanes(c13);
        for (int p = bound; p < len; p++) {
            float x0 = a[a0 + p];
            float x1 = a[a1 + p];
            float w0 = b[bo + p];
            float w1 = b[b1 + p];
            float w2 = b[b2 + p];
            float w3 = b[b3 + p];
            s00 = Math.fma(x0, w0, s00);
            s01 = Math.fma(x0, w1, s01);
            s02 = Math.fma(x0, w2, s02);
            s03 = Math.fma(x0, w3, s03);
            s10 = Math.fma(x1, w0, s10);
            s11 = Math.fma(x1, w1, s11);
            s12 = Math.fma(x1, w2, s12);
            s13 = Math.fma(x1, w3, s13);
        }
        out[o0] = s00;
        out[o0 + 1] = s01;
        out[o0 + 2] = s02;
        out[o0 + 3] = s03;
        out[o1] = s10;
        out[o1 + 1] = s11;
        out[o1 + 2] = s12;
        out[o1 + 3] = s13;
    }

    // e^x = 2^n * e^r with n = round(x / ln 2) and |r| <= ln(2)/2; e^r by its degree-7 Taylor
    // polynomial (truncation error below 1e-8 relative). 2^n is built from exponent bits, which
    // needs -126 <= n <= 127, so below EXP_LO the result is 0 and above EXP_HI it is +infinity
    // (true float overflow is at 88.72): silu then gives z / inf = -0 for very negative z.
    private static final float EXP_LO = -87f;
    private static final float EXP_HI = 88f;
    private static final float LOG2E = 1.44269504088896341f;
    private static final float LN2_HI = 0.693359375f;
    private static final float LN2_LO = -2.12194440e-4f;
    /** 1.5 * 2^23: adding it rounds to an integer that sits in the low mantissa bits. */
    private static final float ROUNDER = 12582912f;
    private static final int ROUNDER_BITS_MINUS_BIAS = Float.floatToRawIntBits(ROUNDER) - 127;
    private static final float C2 = 1f / 2;
    private static final float C3 = 1f / 6;
    private static final float C4 = 1f / 24;
    private static final float C5 = 1f / 120;
    private static final float C6 = 1f / 720;
    private static final float C7 = 1f / 5040;

    /** e^x lane by lane; bit-identical to {@link #exp(float)} on each lane. */
    static FloatVector exp(FloatVector x) {
        FloatVector xc = x.max(EXP_LO).min(EXP_HI);
        FloatVector t = xc.fma(LOG2E, ROUNDER);
        FloatVector n = t.sub(ROUNDER);
        FloatVector r = n.fma(FloatVector.broadcast(SPECIES, -LN2_HI), xc);
        r = n.fma(FloatVector.broadcast(SPECIES, -LN2_LO), r);
        FloatVector p = r.fma(C7, C6);
        p = p.fma(r, FloatVector.broadcast(SPECIES, C5));
        p = p.fma(r, FloatVector.broadcast(SPECIES, C4));
        p = p.fma(r, FloatVector.broadcast(SPECIES, C3));
        p = p.fma(r, FloatVector.broadcast(SPECIES, C2));
        p = p.fma(r, FloatVector.broadcast(SPECIES, 1f));
        p = p.fma(r, FloatVector.broadcast(SPECIES, 1f));
        FloatVector scale = t.reinterpretAsInts()
                .sub(ROUNDER_BITS_MINUS_BIAS)
                .lanewise(VectorOperators.LSHL, 23)
                .reinterpretAsFloats();
        return p.mul(scale)
                .blend(0f, x.compare(VectorOperators.LT, EXP_LO))
                .blend(Float.POSITIVE_INFINITY, x.compare(VectorOperators.GT, EXP_HI));
    }

    /** Scalar twin of {@link #exp(FloatVector)}, operation for operation. */
    static float exp(float x) {
        if (x < EXP_LO) {
            return 0f;
        }
        if (x > EXP_HI) {
            return Float.POSITIVE_INFINITY;
        }
        float t = Math.fma(x, LOG2E, ROUNDER);
        float n = t - ROUNDER;
        float r = Math.fma(n, -LN2_HI, x);
        r = Math.fma(n, -LN2_LO, r);
        float p = Math.fma(r, C7, C6);
        p = Math.fma(p, r, C5);
        p = Math.fma(p, r, C4);
        p = Math.fma(p, r, C3);
        p = Math.fma(p, r, C2);
        p = Math.fma(p, r, 1f);
        p = Math.fma(p, r, 1f);
        float scale = Float.intBitsToFloat((Float.floatToRawIntBits(t) - ROUNDER_BITS_MINUS_BIAS) << 23);
        return p * scale;
    }

    /** silu(z) * u lane by lane; bit-identical to {@link #siluTimes(float, float)}. */
    static FloatVector siluTimes(FloatVector z, FloatVector u) {
        return z.div(exp(z.neg()).add(1f)).mul(u);
    }

    static float siluTimes(float z, float u) {
        return z / (exp(-z) + 1f) * u;
    }
}
