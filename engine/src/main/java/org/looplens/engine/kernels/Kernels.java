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
}
