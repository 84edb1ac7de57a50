package org.looplens.analyses.linalg;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Ridge regression with an unpenalised intercept: minimises ‖Y − XW − 1b‖² + λ‖W‖², solved from
 * the normal equations {@code (XcᵀXc + λI) W = XcᵀYc} on centred data (ND4J's LU solve).
 *
 * @param weights {@code [d][outputs]}
 * @param intercept {@code [outputs]}
 */
public record Ridge(double[][] weights, double[] intercept) {

    /** Fits {@code y} (n × outputs) from {@code x} (n × d); {@code lambda > 0} keeps it well posed. */
    public static Ridge fit(double[][] x, double[][] y, double lambda) {
        if (x.length != y.length) {
            throw new IllegalArgumentException(x.length + " inputs but " + y.length + " targets");
        }
        if (!(lambda > 0)) {
            throw new IllegalArgumentException("lambda must be positive, got " + lambda);
        }
        INDArray xs = Matrices.of(x);
        INDArray ys = Matrices.of(y);
        INDArray xMean = xs.mean(0);
        INDArray yMean = ys.mean(0);
        INDArray xc = xs.subRowVector(xMean);
        INDArray yc = ys.subRowVector(yMean);
        int d = x[0].length;
        INDArray gram = xc.transpose().mmul(xc).addi(Nd4j.eye(d).castTo(xc.dataType()).muli(lambda));
        INDArray w = Nd4j.linalg().solve(gram, xc.transpose().mmul(yc), false);
        INDArray b = yMean.sub(xMean.reshape(1, d).mmul(w).reshape(yMean.shape()));
        return new Ridge(Matrices.toArray(w), Matrices.toVector(b));
    }

    /** The fitted outputs for one input row. */
    public double[] predict(double[] row) {
        double[] out = intercept.clone();
        for (int j = 0; j < row.length; j++) {
            for (int o = 0; o < out.length; o++) {
                out[o] += row[j] * weights[j][o];
            }
        }
        return out;
    }
}
