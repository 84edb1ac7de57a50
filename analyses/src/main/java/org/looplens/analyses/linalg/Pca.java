package org.looplens.analyses.linalg;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Principal components of a set of rows, from the singular value decomposition of the centred
 * data (LAPACK gesvd through ND4J). Components are unit vectors ordered by variance; each one's
 * sign is fixed so that its largest-magnitude coordinate is positive, so results are reproducible.
 *
 * @param mean the mean row that was subtracted
 * @param components {@code [k][d]}, orthonormal rows
 * @param variances the variance along each component (sample variance, n − 1)
 * @param totalVariance the sum of the variances of all d coordinates
 */
public record Pca(double[] mean, double[][] components, double[] variances, double totalVariance) {

    /** The first {@code k} principal components of {@code rows} (n × d, n ≥ 2). */
    public static Pca fit(double[][] rows, int k) {
        int n = rows.length;
        if (n < 2) {
            throw new IllegalArgumentException("PCA needs at least two rows, got " + n);
        }
        int d = rows[0].length;
        if (k < 1 || k > Math.min(n, d)) {
            throw new IllegalArgumentException("k must lie in 1.." + Math.min(n, d) + ", got " + k);
        }
        INDArray x = Matrices.of(rows);
        INDArray mean = x.mean(0);
        INDArray centred = x.subRowVector(mean).dup('f');
        int m = Math.min(n, d);
        INDArray s = Nd4j.create(DataType.DOUBLE, m);
        INDArray vt = Nd4j.create(DataType.DOUBLE, new long[] {d, d}, 'f');
        Nd4j.getBlasWrapper().lapack().gesvd(centred, s, null, vt);
        double[] sv = Matrices.toVector(s);
        double[][] v = Matrices.toArray(vt);
        double[][] components = new double[k][];
        double[] variances = new double[k];
        for (int i = 0; i < k; i++) {
            components[i] = v[i].clone();
            fixSign(components[i]);
            variances[i] = sv[i] * sv[i] / (n - 1);
        }
        double total = 0;
        for (double value : sv) {
            total += value * value / (n - 1);
        }
        return new Pca(Matrices.toVector(mean), components, variances, total);
    }

    /** The share of the total variance each component explains. */
    public double[] explainedRatio() {
        double[] ratio = new double[variances.length];
        for (int i = 0; i < ratio.length; i++) {
            ratio[i] = totalVariance == 0 ? 0 : variances[i] / totalVariance;
        }
        return ratio;
    }

    /** The coordinates of a row along the components. */
    public double[] project(double[] row) {
        if (row.length != mean.length) {
            throw new IllegalArgumentException("row has " + row.length + " coordinates, the PCA was fitted on " + mean.length);
        }
        double[] out = new double[components.length];
        for (int i = 0; i < components.length; i++) {
            double sum = 0;
            for (int j = 0; j < row.length; j++) {
                sum += (row[j] - mean[j]) * components[i][j];
            }
            out[i] = sum;
        }
        return out;
    }

    private static void fixSign(double[] component) {
        int largest = 0;
        for (int j = 1; j < component.length; j++) {
            if (Math.abs(component[j]) > Math.abs(component[largest])) {
                largest = j;
            }
        }
        if (component[largest] < 0) {
            for (int j = 0; j < component.length; j++) {
                component[j] = -component[j];
            }
        }
    }
}
