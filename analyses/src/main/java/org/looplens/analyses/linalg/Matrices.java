package org.looplens.analyses.linalg;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The bridge between the analyses' plain arrays and ND4J. Analyses keep their results as Java
 * arrays (they serialise, and callers need no ND4J); ND4J does the linear algebra, in double
 * precision so that small eigen-gaps and ill-conditioned probes stay meaningful.
 */
public final class Matrices {
    private static volatile boolean loaded;

    static {
        // The analyses' matrices are small (hundreds of rows): OpenMP's worker threads cost more than
        // they give, and while they spin-wait for work they starve the engine's own threads (a probe
        // sweep ran 9× slower with them on two cores). One thread for ND4J's ops and its BLAS.
        Nd4j.getEnvironment().setMaxThreads(1);
        Nd4j.getEnvironment().setMaxMasterThreads(1);
        Nd4j.factory().blas().setMaxThreads(1);
        org.nd4j.nativeblas.NativeOpsHolder.getInstance().getDeviceNativeOps().setOmpNumThreads(1);
    }

    private Matrices() {}

    /**
     * Loads ND4J's native libraries (its own OpenBLAS with LAPACK among them) by running one tiny
     * decomposition. Idempotent; the engine calls it through {@link Nd4jNeighbour} before it binds
     * the system OpenBLAS, which would otherwise shadow ND4J's.
     */
    public static void loadNatives() {
        if (!loaded) {
            synchronized (Matrices.class) {
                if (!loaded) {
                    INDArray a = Nd4j.createFromArray(new double[][] {{1, 0}, {0, 2}}).dup('f');
                    Nd4j.getBlasWrapper().lapack().gesvd(a, Nd4j.create(DataType.DOUBLE, 2), null,
                            Nd4j.create(DataType.DOUBLE, new long[] {2, 2}, 'f'));
                    loaded = true;
                }
            }
        }
    }

    /** A rectangular {@code double[rows][cols]} as a column-major ND4J matrix (LAPACK's layout). */
    public static INDArray of(double[][] rows) {
        if (rows.length == 0) {
            throw new IllegalArgumentException("a matrix needs at least one row");
        }
        int cols = rows[0].length;
        for (int r = 0; r < rows.length; r++) {
            if (rows[r].length != cols) {
                throw new IllegalArgumentException("row " + r + " has " + rows[r].length + " columns, row 0 has " + cols);
            }
            for (int c = 0; c < cols; c++) {
                if (!Double.isFinite(rows[r][c])) {
                    throw new IllegalArgumentException("entry (" + r + ", " + c + ") is " + rows[r][c]);
                }
            }
        }
        return Nd4j.createFromArray(rows).castTo(DataType.DOUBLE).dup('f');
    }

    /** An ND4J matrix back as {@code double[rows][cols]}. */
    public static double[][] toArray(INDArray matrix) {
        return matrix.castTo(DataType.DOUBLE).toDoubleMatrix();
    }

    /** An ND4J vector back as {@code double[]}. */
    public static double[] toVector(INDArray vector) {
        return vector.castTo(DataType.DOUBLE).toDoubleVector();
    }

    /** Widens float rows (hidden states) to double rows. */
    public static double[][] widen(float[][] rows) {
        double[][] out = new double[rows.length][];
        for (int r = 0; r < rows.length; r++) {
            out[r] = new double[rows[r].length];
            for (int c = 0; c < rows[r].length; c++) {
                out[r][c] = rows[r][c];
            }
        }
        return out;
    }
}
