package org.looplens.engine.run;

/**
 * Which keys and values a decode session keeps for past positions (the Ouro paper's KV-cache
 * sharing at decode time). A LoopLM with T steps computes keys and values at every (step, layer);
 * {@link #FULL} keeps all of them, the shared modes keep one set per layer and so need 1/T of
 * the memory per token.
 *
 * <p>Precisely, for a call that appends tokens at positions {@code [p, p+n)} (one token while
 * decoding), the attention of layer l at step t reads:
 * <ul>
 *   <li>for each past position {@code j < p}: under FULL, step t's own keys/values of layer l at
 *       j; under a shared mode, the single stored set of layer l at j, the same for every step —
 *       step T−1's ({@link #LAST_STEP}), step 0's ({@link #FIRST_STEP}) or the float32 mean over
 *       the T steps, summed in step order and divided by T ({@link #MEAN});</li>
 *   <li>for the positions of this call, {@code p ≤ j ≤ i}, the own position included: their step-t
 *       keys/values of layer l, in every mode, as FULL and a full forward do.</li>
 * </ul>
 * After the last step the shared set of layer l at the new positions is written from their
 * steps' keys/values by the rule above, and from then on they are past positions.
 *
 * <p>Why the own position keeps its step-t keys/values: when step t attends, the token's later
 * steps have not run, so neither its last-step nor its mean keys exist yet; substituting anything
 * but what step t just computed would need a second pass over the loop. Using step t's own is
 * what the computation has at hand, it costs no extra memory (the call's rows are in flight anyway), it makes
 * the first token of a session (a prefill of one) equal the full forward in every mode, and with
 * T = 1 every mode is exactly FULL.
 */
public enum KvSharing {
    /** One cache per (step, layer): decoding equals a full forward. */
    FULL,
    /** One cache per layer holding the last loop step's keys and values, read by every step. */
    LAST_STEP,
    /** One cache per layer holding the first loop step's keys and values. */
    FIRST_STEP,
    /** One cache per layer holding the mean of the keys and values over the loop steps. */
    MEAN;

    /** Whether every step reads one shared set per layer. */
    public boolean shared() {
        return this != FULL;
    }

    /** Parses {@code full}, {@code last-step}, {@code first-step} or {@code mean} (any case, - or _). */
    public static KvSharing parse(String s) {
        String norm = s.strip().toUpperCase(java.util.Locale.ROOT).replace('-', '_');
        for (KvSharing m : values()) {
            if (m.name().equals(norm)) {
                return m;
            }
        }
        throw new org.looplens.engine.InvalidInputException("kv-sharing", "unknown mode '" + s
                + "'; use full, last-step, first-step or mean");
    }
}
