package org.looplens.analyses.linalg;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * Multinomial logistic regression with an L2 penalty on the weights (not the intercept), fitted
 * by full-batch accelerated gradient descent on standardised inputs, preconditioned by Böhning's
 * quadratic bound on the softmax Hessian. The loss is strongly convex and the bound makes every
 * step safe, so each fit converges to the one optimum: no learning rate to tune, and the same
 * data always gives the same probe. Weights are reported in the original input units.
 *
 * @param weights   {@code [d][classes]}: logit c = Σ_j x_j · weights[j][c] + intercept[c]
 * @param intercept {@code [classes]}
 * @param iterations gradient steps taken
 */
public record LogisticRegression(double[][] weights, double[] intercept, int iterations) {
    private static final int MAX_ITERATIONS = 5000;
    /** Stop when the gradient has shrunk this much: far past where any prediction still changes. */
    private static final double TOLERANCE = 1e-5;

    /**
     * Fits {@code labels} (each in 0..classes−1) from the rows of {@code x}; {@code lambda > 0} is
     * the penalty on weights of standardised inputs (it keeps separable data from running to
     * infinity, and makes the optimum unique).
     */
    public static LogisticRegression fit(double[][] x, int[] labels, int classes, double lambda) {
        int n = x.length;
        if (n != labels.length) {
            throw new IllegalArgumentException(n + " inputs but " + labels.length + " labels");
        }
        if (classes < 2) {
            throw new IllegalArgumentException("a classifier needs at least two classes, got " + classes);
        }
        if (!(lambda > 0)) {
            throw new IllegalArgumentException("lambda must be positive, got " + lambda);
        }
        INDArray xs = Matrices.of(x);
        int d = x[0].length;
        INDArray mean = xs.mean(0);
        INDArray std = xs.std(false, 0);
        double[] sd = Matrices.toVector(std);
        for (int j = 0; j < d; j++) {
            sd[j] = sd[j] > 1e-12 ? sd[j] : 1; // a constant input carries nothing; leave it unscaled
        }
        INDArray scale = Nd4j.createFromArray(sd).castTo(DataType.DOUBLE);
        // The standardised inputs with a column of ones for the intercept: [n, d + 1].
        INDArray a = Nd4j.hstack(xs.subRowVector(mean).diviRowVector(scale), Nd4j.ones(DataType.DOUBLE, n, 1));
        INDArray y = Nd4j.zeros(DataType.DOUBLE, n, classes);
        for (int i = 0; i < n; i++) {
            if (labels[i] < 0 || labels[i] >= classes) {
                throw new IllegalArgumentException("label " + i + " is " + labels[i] + ", outside 0.." + (classes - 1));
            }
            y.putScalar(i, labels[i], 1.0);
        }
        // Böhning's bound: the Hessian never exceeds ½·AᵀA/n ⊗ I + λ, so stepping by the inverse of
        // that matrix (one small solve, done once) never overshoots, and the steps follow the
        // correlations of the inputs instead of crawling along their smallest direction.
        INDArray penalty = Nd4j.ones(DataType.DOUBLE, d + 1, 1).muli(lambda);
        penalty.putScalar(d, 0, 0.0); // the intercept (last row) is not penalised
        INDArray bound = a.transpose().mmul(a).divi(2.0 * n);
        for (int j = 0; j < d; j++) {
            bound.putScalar(j, j, bound.getDouble(j, j) + lambda);
        }
        INDArray precondition = Nd4j.linalg().solve(bound, Nd4j.eye(d + 1).castTo(DataType.DOUBLE), false);
        INDArray w = Nd4j.zeros(DataType.DOUBLE, d + 1, classes);
        INDArray look = w.dup();
        double t = 1;
        int it = 0;
        double gradNorm0 = -1;
        INDArray aTn = a.transpose().div(n);
        for (; it < MAX_ITERATIONS; it++) {
            INDArray grad = gradient(a, aTn, y, look, penalty);
            double norm = grad.norm2Number().doubleValue();
            if (gradNorm0 < 0) {
                gradNorm0 = Math.max(norm, 1e-300);
            }
            if (norm <= TOLERANCE * gradNorm0) {
                w = look;
                break;
            }
            INDArray next = look.sub(precondition.mmul(grad));
            INDArray move = next.sub(w);
            // Nesterov momentum, restarted whenever it points uphill (O'Donoghue and Candès).
            if (grad.mul(move).sumNumber().doubleValue() > 0) {
                t = 1;
            }
            double tNext = (1 + Math.sqrt(1 + 4 * t * t)) / 2;
            look = next.add(move.muli((t - 1) / tNext));
            t = tNext;
            w = next;
        }
        // Back to the original units: z = ((x − μ)/σ)·W + b = x·(W/σ) + (b − (μ/σ)·W).
        INDArray ws = w.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(0, d), org.nd4j.linalg.indexing.NDArrayIndex.all());
        INDArray wOrig = ws.divColumnVector(scale.reshape(d, 1));
        INDArray b = w.getRow(d).reshape(1, classes).sub(mean.reshape(1, d).mmul(wOrig));
        return new LogisticRegression(Matrices.toArray(wOrig), Matrices.toVector(b), it);
    }

    /** ∇ of mean cross-entropy + (λ/2)‖W‖² at {@code w}; {@code aTn} is Aᵀ/n. */
    private static INDArray gradient(INDArray a, INDArray aTn, INDArray y, INDArray w, INDArray penalty) {
        INDArray p = Transforms.softmax(a.mmul(w), false); // row-wise
        return aTn.mmul(p.subi(y)).addi(w.mulColumnVector(penalty));
    }

    public int classes() {
        return intercept.length;
    }

    /** The class logits of one row. */
    public double[] logits(double[] row) {
        if (row.length != weights.length) {
            throw new IllegalArgumentException("row has " + row.length + " coordinates, the model was fitted on " + weights.length);
        }
        double[] out = intercept.clone();
        for (int j = 0; j < row.length; j++) {
            for (int c = 0; c < out.length; c++) {
                out[c] += row[j] * weights[j][c];
            }
        }
        return out;
    }

    /** The most likely class of one row; ties go to the lower class. */
    public int predict(double[] row) {
        double[] z = logits(row);
        int best = 0;
        for (int c = 1; c < z.length; c++) {
            if (z[c] > z[best]) {
                best = c;
            }
        }
        return best;
    }
}
