package org.looplens.engine.kernels;

/**
 * The compute backend: every numeric operation of the forward pass, on flat row-major arrays.
 *
 * <p>Arrays are passed with an offset so callers can work on slices of large workspaces without
 * copying. Weight matrices use the Hugging Face {@code nn.Linear} layout {@code [out, in]}.
 * Implementations must not allocate per call in proportion to the data (workspaces belong to the
 * caller) and must give results that agree with {@link ScalarKernels} within float32 rounding.
 *
 * <p>A GPU backend (for example TornadoVM) implements this interface in its own module; nothing
 * in the engine core refers to such a backend's types.
 */
public interface Kernels {

    /** A short name for logs and benchmarks, such as "scalar" or "vector". */
    String name();

    /**
     * {@code out[i][j] = sum_p x[i][p] * w[j][p]} for i &lt; n, j &lt; m, p &lt; k: the rows of x
     * times the transpose of w, as {@code nn.Linear} without bias.
     */
    void matmulTransposed(float[] x, int xOff, int n, int k, float[] w, int wOff, int m, float[] out, int outOff);

    /**
     * {@link #matmulTransposed} with the weights {@code [m, k]} stored as little-endian BF16 in
     * {@code w} (a memory-mapped checkpoint, used in place); each weight is widened to float32
     * inside the kernel, exactly (BF16 is the top half of a float32).
     */
    void matmulTransposedBf16(float[] x, int xOff, int n, int k, java.lang.foreign.MemorySegment w, int m,
                              float[] out, int outOff);

    /**
     * RMSNorm of each of {@code rows} rows of width {@code d}:
     * {@code out = x / sqrt(mean(x^2) + eps) * weight}. {@code out} may be {@code x}.
     */
    void rmsNorm(float[] x, int xOff, int rows, int d, float[] weight, float eps, float[] out, int outOff);

    /**
     * Rotate-half rotary embedding, in place. {@code x} holds {@code rows} rows of
     * {@code heads * headDim}; row r is at position {@code positions[posOff + r]}. Within a head,
     * dim j &lt; headDim/2 pairs with j + headDim/2:
     * {@code x' = x * cos + rotate_half(x) * sin}, {@code rotate_half(x) = [-x2, x1]}.
     * {@code cos} and {@code sin} are tables {@code [maxPosition][headDim]}.
     */
    void rope(float[] x, int xOff, int rows, int heads, int headDim, int[] positions, int posOff,
              float[] cos, float[] sin);

    /**
     * Causal attention probabilities with grouped-query heads.
     *
     * <p>{@code q}: {@code nq} rows of {@code heads * headDim}; query row i sits at absolute
     * position {@code qStart + i}. {@code k}: rows of {@code kvHeads * headDim} for absolute
     * positions 0..{@code nk}-1 (nk ≥ qStart + nq). Head h uses kv head
     * {@code h / (heads / kvHeads)}. Scores are scaled by {@code scale}; query i sees keys
     * 0..qStart+i. Writes {@code probs[h][i][j]} for j &lt; nk (masked entries are 0) at
     * {@code probsOff + (h * nq + i) * nk + j}.
     */
    void attentionProbs(float[] q, int qOff, int nq, int qStart, float[] k, int kOff, int nk,
                        int heads, int kvHeads, int headDim, float scale, float[] probs, int probsOff);

    /**
     * {@code out[i][h*headDim + c] = sum_j probs[h][i][j] * v[j][g*headDim + c]} with g the kv
     * head of h; layouts as in {@link #attentionProbs}. Only j ≤ qStart + i contribute.
     */
    void attentionContext(float[] probs, int probsOff, int nq, int qStart, float[] v, int vOff, int nk,
                          int heads, int kvHeads, int headDim, float[] out, int outOff);

    /** {@code out[i] = silu(gate[i]) * up[i]} for n elements, silu(z) = z / (1 + e^-z). */
    void swiglu(float[] gate, int gateOff, float[] up, int upOff, float[] out, int outOff, int n);

    /** {@code acc[i] += x[i]} for n elements. */
    void addInPlace(float[] acc, int accOff, float[] x, int xOff, int n);

    // ---- Backward: the gradients of the operations above, for training. ----

    /**
     * {@code out[i][j] (+)= sum_p a[i][p] * b[p][j]} for a {@code [n, k]} and b {@code [k, m]}: a
     * plain matrix product. It is the input gradient of {@link #matmulTransposed}:
     * {@code dX = dY · W}. With {@code accumulate} false, out is overwritten.
     */
    void matmul(float[] a, int aOff, int n, int k, float[] b, int bOff, int m, float[] out, int outOff,
                boolean accumulate);

    /**
     * {@code out[i][j] += sum_r a[r][i] * b[r][j]} for a {@code [rows, m]}, b {@code [rows, k]}, out
     * {@code [m, k]}: the weight gradient of {@link #matmulTransposed}, {@code dW += dYᵀ · X}.
     */
    void matmulTransposedAAccumulate(float[] a, int aOff, int rows, int m, float[] b, int bOff, int k,
                                     float[] out, int outOff);

    /**
     * Gradient of {@link #rmsNorm} ({@code y = x · r · w}, {@code r = 1/sqrt(mean(x^2) + eps)}):
     * {@code dx += r·w·dy − x·r³/d · Σ_c w_c·dy_c·x_c} per row, and
     * {@code dWeight[c] += Σ_rows dy_c · x_c · r}. Both accumulate.
     */
    void rmsNormBackward(float[] x, int xOff, int rows, int d, float[] weight, float eps, float[] dy, int dyOff,
                         float[] dx, int dxOff, float[] dWeight);

    /**
     * Gradient of {@link #rope}, in place: the transpose of the rotation, i.e. the rotation by the
     * negative angle. Same layout and tables as {@link #rope}.
     */
    void ropeBackward(float[] dx, int dxOff, int rows, int heads, int headDim, int[] positions, int posOff,
                      float[] cos, float[] sin);

    /**
     * Gradient of causal attention over one sequence of {@code n} positions (queries and keys both
     * 0..n−1), given q and k after the rotary embedding, v, the probabilities written by
     * {@link #attentionProbs} ({@code [heads][n][n]}) and the gradient of the context
     * ({@code [n, heads·headDim]}). Overwrites dq {@code [n, heads·headDim]}, dk and dv
     * {@code [n, kvHeads·headDim]}; a kv head's gradient sums over the query heads that share it.
     */
    void attentionBackward(float[] q, int qOff, float[] k, int kOff, float[] v, int vOff, float[] probs, int probsOff,
                           float[] dContext, int dcOff, int n, int heads, int kvHeads, int headDim, float scale,
                           float[] dq, int dqOff, float[] dk, int dkOff, float[] dv, int dvOff);

    /**
     * Gradient of {@link #swiglu}: {@code dGate[i] = dOut[i]·up[i]·silu'(gate[i])},
     * {@code dUp[i] = dOut[i]·silu(gate[i])}; both overwritten.
     */
    void swigluBackward(float[] gate, int gateOff, float[] up, int upOff, float[] dOut, int dOutOff,
                        float[] dGate, int dGateOff, float[] dUp, int dUpOff, int n);
}
