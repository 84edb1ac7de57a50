package org.looplens.engine.trace;

/**
 * The kinds of place in the looped computation where an activation can be read or replaced.
 * Per-layer kinds exist at every (step, layer); per-step kinds once per step; {@link #EMBED} once.
 * Widths are per position: H = hidden, Q = heads × head_dim, KV = kv heads × head_dim, V = vocab.
 */
public enum SiteKind {
    /** Token embeddings, the input of step 0 [L, H]. */
    EMBED(Scope.INPUT),
    /** N1(x): the normed input of attention [L, H]. */
    ATTN_IN(Scope.LAYER),
    /** Queries after the rotary embedding [L, Q]. */
    Q(Scope.LAYER),
    /** Keys after the rotary embedding [L, KV]. */
    K(Scope.LAYER),
    /** Values [L, KV]. */
    V(Scope.LAYER),
    /** Softmax attention probabilities [heads, L, keys]; the position is the query. */
    ATTN_PROBS(Scope.LAYER),
    /** N2(o_proj(attention)): the normed attention branch added to the residual [L, H]. */
    ATTN_OUT(Scope.LAYER),
    /** Residual after the attention add [L, H]. */
    MID(Scope.LAYER),
    /** N3(mid): the normed input of the MLP [L, H]. */
    MLP_IN(Scope.LAYER),
    /** N4(down(silu(gate) * up)): the normed MLP branch [L, H]. */
    MLP_OUT(Scope.LAYER),
    /** Layer output = mid + mlp_out [L, H]. */
    LAYER_OUT(Scope.LAYER),
    /** Output of the last layer before the final norm [L, H]. */
    STEP_PRENORM(Scope.STEP),
    /** norm(prenorm): read out by the head and the gate, and the input of the next step [L, H]. */
    STEP_HIDDEN(Scope.STEP),
    /** Exit-gate logit [L, 1]; λ = sigmoid of it. */
    GATE_LOGIT(Scope.STEP),
    /** LM-head logits [L, V]. */
    STEP_LOGITS(Scope.STEP);

    /** Where a kind lives: once per run, once per step, or at every layer of every step. */
    public enum Scope { INPUT, STEP, LAYER }

    private final Scope scope;

    SiteKind(Scope scope) {
        this.scope = scope;
    }

    public Scope scope() {
        return scope;
    }
}
