package org.looplens.engine.model;

/**
 * Rotary-embedding cos/sin tables in the Hugging Face layout {@code [position][headDim]}: column
 * c uses frequency {@code theta^(-2 (c mod D/2) / D)}, so the first half of the columns repeats in
 * the second half (the rotate-half convention). Angles are computed in double and rounded once.
 */
public final class RopeTable {
    private final int headDim;
    private final double theta;
    private float[] cos = new float[0];
    private float[] sin = new float[0];
    private int positions;

    public RopeTable(int headDim, double theta) {
        this.headDim = headDim;
        this.theta = theta;
    }

    /** Makes sure positions 0..count-1 are in the tables; grows them (by doubling) as needed. */
    public synchronized void ensure(int count) {
        if (count <= positions) {
            return;
        }
        int n = Math.max(count, Math.max(64, positions * 2));
        float[] c = new float[n * headDim];
        float[] s = new float[n * headDim];
        int half = headDim / 2;
        for (int p = 0; p < n; p++) {
            for (int j = 0; j < half; j++) {
                double invFreq = 1.0 / Math.pow(theta, (2.0 * j) / headDim);
                // Computed in double like the golden reference: at long positions a float32
                // angle would drift by ~1e-3 rad.
                double angle = p * invFreq;
                float cj = (float) Math.cos(angle);
                float sj = (float) Math.sin(angle);
                c[p * headDim + j] = cj;
                c[p * headDim + j + half] = cj;
                s[p * headDim + j] = sj;
                s[p * headDim + j + half] = sj;
            }
        }
        cos = c;
        sin = s;
        positions = n;
    }

    public synchronized float[] cos() {
        return cos;
    }

    public synchronized float[] sin() {
        return sin;
    }

    public int headDim() {
        return headDim;
    }
}
