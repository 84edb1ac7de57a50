package org.looplens.engine.kernels;

import java.util.function.Supplier;

/**
 * The fast CPU backend: SIMD through the incubator Vector API, rows spread over our own
 * workers ({@link ParallelFor}), large products on OpenBLAS when it is installed.
 *
 * <p>Results are bit-identical for any thread count: work is cut into items (matmul tiles, rows,
 * (head, query) pairs, element chunks) whose arithmetic depends only on the problem shape, and
 * every output element belongs to exactly one item. Gradients that sum over many items (a kv
 * head's over queries and heads, RMSNorm's weight over rows) are gathered by an item that owns
 * the output and sums in a fixed order, never by racing adds. Nothing is allocated per call in
 * proportion to the data: the backward passes use a scratch array per calling thread, grown on
 * first use and kept. Needs {@code --add-modules jdk.incubator.vector}; obtain instances through
 * {@link CpuKernels}, which checks for the module first. Close to stop the worker threads.
 */
public final class VectorKernels implements Kernels, AutoCloseable {

    /** Rows of x per matmul tile. */
    private static final int TILE_ROWS = 64;

    /** Floats of w per matmul tile (256 KiB), so a tile's block of w stays in L2 while x streams past. */
    private static final int TILE_W_FLOATS = 1 << 16;

    /** Most rows of w per tile; bounds the tile when k is tiny. */
    private static final int MAX_TILE_COLS = 256;

    /** Elements per item of the element-wise kernels. */
    private static final int CHUNK = 1 << 12;

    /** Rough cost of one silu, in multiply-add units, for the serial/parallel choice. */
    private static final int SILU_COST = 16;

    /**
     * Below this many multiply-adds a product stays with our kernel: OpenBLAS wins on the large
     * training products (the smallest at M is 2048 × 256 × 256 ≈ 2^27), while the per-call cost of
     * the foreign call and the split is not repaid on decode-sized ones. Chosen, not tuned.
     */
    static final long BLAS_MIN_WORK = 1L << 24;

    private final ParallelFor parallel;
    /**
     * OpenBLAS, bound on the first product large enough to use it: small models never load it
     * (nor what must load before it, see {@link NativeNeighbour}). Yields null: every product on
     * the vector kernels. Asked once; {@link #blas()} keeps the answer, since the workers ask on
     * every row block of every large product.
     */
    private final Supplier<OpenBlas> findBlas;
    private volatile boolean blasLooked;
    private OpenBlas blas; // written once, before blasLooked

    /** One worker per available processor. */
    public VectorKernels() {
        this(Runtime.getRuntime().availableProcessors());
    }

    /** The calling thread's even/odd split of the inputs of a BF16 product. */
    private final ThreadLocal<float[]> bf16Inputs = ThreadLocal.withInitial(() -> new float[0]);

    /** With large matrix products on OpenBLAS when it is installed (see {@link OpenBlas}). */
    public VectorKernels(int threads) {
        this(threads, ParallelFor.DEFAULT_MIN_PARALLEL_WORK, () -> OpenBlas.find().orElse(null));
    }

    /** For tests: {@code minParallelWork = 0} sends even the smallest job to the pool; no OpenBLAS. */
    VectorKernels(int threads, long minParallelWork) {
        this(threads, minParallelWork, () -> null);
    }

    VectorKernels(int threads, long minParallelWork, OpenBlas blas) {
        this(threads, minParallelWork, () -> blas);
    }

    private VectorKernels(int threads, long minParallelWork, Supplier<OpenBlas> blas) {
        CpuKernels.requireVectorApi();
        this.parallel = new ParallelFor(threads, minParallelWork);
        this.findBlas = blas;
    }

    /** OpenBLAS, or null: looked up on the first call, then remembered. */
    private OpenBlas blas() {
        if (!blasLooked) {
            synchronized (this) {
                if (!blasLooked) {
                    blas = findBlas.get();
                    blasLooked = true;
                }
            }
        }
        return blas;
    }

    @Override
    public String name() {
        return blas() == null ? "vector" : "vector+openblas";
    }

    private boolean onBlas(int n, int m, int k) {
        return (long) n * m * k >= BLAS_MIN_WORK && blas() != null;
    }

    /** One OpenBLAS call on a block of output rows. */
    @FunctionalInterface
    private interface RowBlock {
        void run(int from, int rows);
    }

    /**
     * Splits {@code rows} output rows into blocks, one single-threaded OpenBLAS call each, over
     * our own workers: OpenBLAS's own threads would spin between calls and take the cores from
     * the work that follows.
     */
    private void onBlasRows(int rows, long workPerRow, RowBlock block) {
        int blocks = Math.min(rows, parallel.threads() * 2);
        int size = (rows + blocks - 1) / blocks;
        parallel.run(blocks, rows * workPerRow, (from, to) -> {
            for (int b = from; b < to; b++) {
                int start = b * size;
                int count = Math.min(size, rows - start);
                if (count > 0) {
                    block.run(start, count);
                }
            }
        });
    }

    /** Worker threads used for large jobs. */
    public int threads() {
        return parallel.threads();
    }

    @Override
    public void matmulTransposed(float[] x, int xOff, int n, int k, float[] w, int wOff, int m,
                                 float[] out, int outOff) {
        if (n <= 0 || m <= 0) {
            return;
        }
        if (onBlas(n, m, k)) {
            onBlasRows(n, (long) m * k, (from, rows) ->
                    blas().sgemm(false, true, rows, m, k, x, xOff + from * k, k, w, wOff, k, 0f, out, outOff + from * m, m));
            return;
        }
        int cols = Math.clamp(TILE_W_FLOATS / Math.max(k, 1), 4, MAX_TILE_COLS) & ~3;
        int rowTiles = ceilDiv(n, TILE_ROWS);
        if (rowTiles < parallel.threads()) {
            // Few rows (decoding): cut w finer so every worker gets several tiles.
            int perWorker = ceilDiv(m, parallel.threads() * 4 * rowTiles);
            cols = Math.max(4, Math.min(cols, (perWorker + 3) & ~3));
        }
        int tileCols = cols;
        int colTiles = ceilDiv(m, tileCols);
        long work = (long) n * m * k;
        parallel.run(rowTiles * colTiles, work, (from, to) -> {
            for (int t = from; t < to; t++) {
                int i0 = (t / colTiles) * TILE_ROWS;
                int j0 = (t % colTiles) * tileCols;
                VectorOps.matmulTile(x, xOff, k, w, wOff, m, out, outOff,
                        i0, Math.min(i0 + TILE_ROWS, n), j0, Math.min(j0 + tileCols, m));
            }
        });
    }

    @Override
    public void matmulTransposedBf16(float[] x, int xOff, int n, int k, java.lang.foreign.MemorySegment w, int m,
                                     float[] out, int outOff) {
        if (n <= 0 || m <= 0) {
            return;
        }
        if (k % 2 != 0) {
            // Pairs of BF16 weights are read as one int; an odd width has no whole pairs.
            ScalarBf16.matmulTransposed(x, xOff, n, k, w, m, out, outOff);
            return;
        }
        float[] split = bf16Inputs.get();
        if (split.length < n * k) {
            split = new float[n * k];
            bf16Inputs.set(split); // grown to the largest input seen, then reused
        }
        VectorBf16Ops.deinterleave(x, xOff, n, k, split);
        float[] inputs = split;
        // Each task owns whole output columns (weight rows): the weights stream through once.
        parallel.run(m, (long) n * m * k, (from, to) -> {
            float[] lanes = VectorBf16Ops.lanes();
            for (int j = from; j < to; j++) {
                VectorBf16Ops.column(inputs, n, k, w, j, out, outOff, m, lanes);
            }
        });
    }

    @Override
    public void rmsNorm(float[] x, int xOff, int rows, int d, float[] weight, float eps, float[] out, int outOff) {
        parallel.run(rows, (long) rows * d * 2, (from, to) -> {
            for (int r = from; r < to; r++) {
                VectorOps.rmsNormRow(x, xOff + r * d, d, weight, eps, out, outOff + r * d);
            }
        });
    }

    @Override
    public void rope(float[] x, int xOff, int rows, int heads, int headDim, int[] positions, int posOff,
                     float[] cos, float[] sin) {
        KernelChecks.rope(headDim);
        int width = heads * headDim;
        parallel.run(rows, (long) rows * width * 2, (from, to) -> {
            for (int r = from; r < to; r++) {
                int table = positions[posOff + r] * headDim;
                for (int h = 0; h < heads; h++) {
                    VectorOps.ropeHead(x, xOff + r * width + h * headDim, headDim, cos, sin, table);
                }
            }
        });
    }

    @Override
    public void attentionProbs(float[] q, int qOff, int nq, int qStart, float[] k, int kOff, int nk,
                               int heads, int kvHeads, int headDim, float scale, float[] probs, int probsOff) {
        KernelChecks.attention(nq, qStart, nk, heads, kvHeads, headDim);
        int group = heads / kvHeads;
        int kStride = kvHeads * headDim;
        long work = (long) heads * nq * nk * (headDim + SILU_COST);
        // Item t is (head t / nq, query t % nq), which is also the order of the probs rows.
        parallel.run(heads * nq, work, (from, to) -> {
            for (int t = from; t < to; t++) {
                int h = t / nq;
                int i = t % nq;
                VectorOps.probsRow(q, qOff + (i * heads + h) * headDim, k, kOff + (h / group) * headDim, kStride,
                        headDim, scale, qStart + i + 1, nk, probs, probsOff + t * nk);
            }
        });
    }

    @Override
    public void attentionContext(float[] probs, int probsOff, int nq, int qStart, float[] v, int vOff, int nk,
                                 int heads, int kvHeads, int headDim, float[] out, int outOff) {
        KernelChecks.attention(nq, qStart, nk, heads, kvHeads, headDim);
        int group = heads / kvHeads;
        int vStride = kvHeads * headDim;
        long work = (long) heads * nq * nk * headDim;
        parallel.run(heads * nq, work, (from, to) -> {
            for (int t = from; t < to; t++) {
                int h = t / nq;
                int i = t % nq;
                VectorOps.contextRow(probs, probsOff + t * nk, qStart + i + 1, v, vOff + (h / group) * headDim,
                        vStride, headDim, out, outOff + (i * heads + h) * headDim);
            }
        });
    }

    @Override
    public void swiglu(float[] gate, int gateOff, float[] up, int upOff, float[] out, int outOff, int n) {
        parallel.run(ceilDiv(n, CHUNK), (long) n * SILU_COST, (from, to) ->
                VectorOps.swiglu(gate, gateOff, up, upOff, out, outOff, from * CHUNK, Math.min(to * CHUNK, n)));
    }

    @Override
    public void addInPlace(float[] acc, int accOff, float[] x, int xOff, int n) {
        parallel.run(ceilDiv(n, CHUNK), n, (from, to) ->
                VectorOps.add(acc, accOff, x, xOff, from * CHUNK, Math.min(to * CHUNK, n)));
    }

    @Override
    public void close() {
        parallel.close();
    }

    private static int ceilDiv(int a, int b) {
        return Math.max(0, (a + b - 1) / b);
    }

    // ---- Backward ----

    /** Rows of the left factor per tile of the backward products. */
    private static final int GEMM_TILE_ROWS = 64;

    /** Most register panels of output columns per tile of the backward products (bounds the block of B). */
    private static final int GEMM_MAX_TILE_PANELS = 8;

    /** Columns of dWeight per item of the RMSNorm weight gradient. */
    private static final int NORM_COLUMN_CHUNK = 4 * VectorMath.LANES;

    /** Scratch for the calling thread (RMSNorm's per-row scales, attention's dS); grown, never shrunk. */
    private final ThreadLocal<float[]> scratch = new ThreadLocal<>();

    private float[] scratch(int size) {
        float[] s = scratch.get();
        if (s == null || s.length < size) {
            s = new float[size];
            scratch.set(s);
        }
        return s;
    }

    @Override
    public void matmul(float[] a, int aOff, int n, int k, float[] b, int bOff, int m, float[] out, int outOff,
                       boolean accumulate) {
        if (onBlas(n, m, k)) {
            onBlasRows(n, (long) m * k, (from, rows) -> blas().sgemm(false, false, rows, m, k, a, aOff + from * k, k,
                    b, bOff, m, accumulate ? 1f : 0f, out, outOff + from * m, m));
            return;
        }
        gemm(a, aOff, k, 1, n, k, b, bOff, m, out, outOff, accumulate);
    }

    @Override
    public void matmulTransposedAAccumulate(float[] a, int aOff, int rows, int m, float[] b, int bOff, int k,
                                            float[] out, int outOff) {
        if (onBlas(m, k, rows)) {
            // Output rows i of out = columns i of a: each chunk reads its own columns of a.
            onBlasRows(m, (long) k * rows, (from, count) -> blas().sgemm(true, false, count, k, rows, a, aOff + from, m,
                    b, bOff, k, 1f, out, outOff + from * k, k));
            return;
        }
        // out = Aᵀ·b with A[i][r] = a[r][i]: the same product with the left factor read down its columns.
        gemm(a, aOff, 1, m, m, rows, b, bOff, k, out, outOff, true);
    }

    /**
     * out[n×cols] (+)= A·B with {@code A[i][p] = a[aOff + i*aRow + p*aCol]}, B [depth×cols], cut
     * into tiles of rows × panels of columns. Each element is one fma chain over p in order
     * whatever tile or path computes it, so the tiling (which depends on the thread count) never
     * changes a bit.
     */
    private void gemm(float[] a, int aOff, int aRow, int aCol, int n, int depth, float[] b, int bOff, int cols,
                      float[] out, int outOff, boolean accumulate) {
        if (n <= 0 || cols <= 0) {
            return;
        }
        int rowTiles = ceilDiv(n, GEMM_TILE_ROWS);
        int panels = ceilDiv(cols, VectorBackwardOps.PANEL);
        int wanted = ceilDiv(parallel.threads() * 4, rowTiles);
        int colTiles = Math.min(panels, Math.max(wanted, ceilDiv(panels, GEMM_MAX_TILE_PANELS)));
        int tileCols = ceilDiv(panels, colTiles) * VectorBackwardOps.PANEL;
        int tilesPerRow = ceilDiv(cols, tileCols);
        parallel.run(rowTiles * tilesPerRow, (long) n * cols * depth, (from, to) -> {
            for (int t = from; t < to; t++) {
                int i0 = (t / tilesPerRow) * GEMM_TILE_ROWS;
                int j0 = (t % tilesPerRow) * tileCols;
                VectorBackwardOps.gemmTile(a, aOff, aRow, aCol, depth, b, bOff, cols, out, outOff,
                        i0, Math.min(i0 + GEMM_TILE_ROWS, n), j0, Math.min(j0 + tileCols, cols), accumulate);
            }
        });
    }

    @Override
    public void rmsNormBackward(float[] x, int xOff, int rows, int d, float[] weight, float eps, float[] dy,
                                int dyOff, float[] dx, int dxOff, float[] dWeight) {
        if (rows <= 0 || d <= 0) {
            return;
        }
        float[] inv = scratch(rows);
        // Pass 1, by rows: dx and each row's scale. Pass 2, by columns: dWeight summed over rows in order.
        parallel.run(rows, (long) rows * d * 4, (from, to) -> {
            for (int r = from; r < to; r++) {
                inv[r] = VectorBackwardOps.rmsNormBackwardRow(x, xOff + r * d, d, weight, eps, dy, dyOff + r * d,
                        dx, dxOff + r * d);
            }
        });
        parallel.run(ceilDiv(d, NORM_COLUMN_CHUNK), (long) rows * d * 2, (from, to) ->
                VectorBackwardOps.rmsNormWeightGrad(x, xOff, rows, d, dy, dyOff, inv, dWeight,
                        from * NORM_COLUMN_CHUNK, Math.min(to * NORM_COLUMN_CHUNK, d)));
    }

    @Override
    public void ropeBackward(float[] dx, int dxOff, int rows, int heads, int headDim, int[] positions, int posOff,
                             float[] cos, float[] sin) {
        KernelChecks.rope(headDim);
        int width = heads * headDim;
        parallel.run(rows, (long) rows * width * 2, (from, to) -> {
            for (int r = from; r < to; r++) {
                int table = positions[posOff + r] * headDim;
                for (int h = 0; h < heads; h++) {
                    VectorBackwardOps.ropeHeadBackward(dx, dxOff + r * width + h * headDim, headDim, cos, sin, table);
                }
            }
        });
    }

    /**
     * Two passes, each output element owned by one item. Pass 1, by (head, query i): the softmax
     * gradient dS of the row into scratch, then dq_i. Pass 2, by (kv head g, key j): dk_j and dv_j
     * as fma chains over the group's heads in order and, within each, over queries i = j..n-1.
     */
    @Override
    public void attentionBackward(float[] q, int qOff, float[] k, int kOff, float[] v, int vOff, float[] probs,
                                  int probsOff, float[] dContext, int dcOff, int n, int heads, int kvHeads,
                                  int headDim, float scale, float[] dq, int dqOff, float[] dk, int dkOff, float[] dv,
                                  int dvOff) {
        KernelChecks.attention(n, 0, n, heads, kvHeads, headDim);
        if (n == 0) {
            return;
        }
        int group = heads / kvHeads;
        int qw = heads * headDim;
        int kw = kvHeads * headDim;
        float[] ds = scratch(heads * n * n);
        long work = (long) heads * n * (n + 1) / 2 * headDim * 2;
        parallel.run(heads * n, work, (from, to) -> {
            for (int t = from; t < to; t++) {
                int h = t / n;
                int i = t % n;
                int g = h / group;
                VectorBackwardOps.attentionRow(dContext, dcOff + i * qw + h * headDim,
                        v, vOff + g * headDim, k, kOff + g * headDim, kw, headDim,
                        probs, probsOff + t * n, i + 1, n, scale, ds, t * n, dq, dqOff + i * qw + h * headDim);
            }
        });
        parallel.run(kvHeads * n, work, (from, to) -> {
            for (int t = from; t < to; t++) {
                int g = t / n;
                int j = t % n;
                int dkBase = dkOff + j * kw + g * headDim;
                int dvBase = dvOff + j * kw + g * headDim;
                for (int hh = 0; hh < group; hh++) {
                    int h = g * group + hh;
                    int col = (h * n + j) * n + j;
                    VectorOps.weightedRows(ds, col, n, n - j, q, qOff + j * qw + h * headDim, qw, headDim,
                            dk, dkBase, hh > 0);
                    VectorOps.weightedRows(probs, probsOff + col, n, n - j, dContext, dcOff + j * qw + h * headDim,
                            qw, headDim, dv, dvBase, hh > 0);
                }
            }
        });
    }

    @Override
    public void swigluBackward(float[] gate, int gateOff, float[] up, int upOff, float[] dOut, int dOutOff,
                               float[] dGate, int dGateOff, float[] dUp, int dUpOff, int n) {
        parallel.run(ceilDiv(n, CHUNK), (long) n * SILU_COST, (from, to) ->
                VectorBackwardOps.swigluBackward(gate, gateOff, up, upOff, dOut, dOutOff, dGate, dGateOff,
                        dUp, dUpOff, from * CHUNK, Math.min(to * CHUNK, n)));
    }
}
