package org.looplens.analyses.cost;

import org.looplens.engine.config.LoopConfig;

/**
 * Floating-point operations of a LoopLM run, counted from the config's shapes (not estimated from
 * the parameter count), so a looped model, a flat one and a chain-of-thought one can be compared
 * at equal compute.
 *
 * <p>What is counted, per position, for every layer of every step (every layer runs at every
 * position: a full forward computes them all, and decoding needs their keys and values):
 * <ul>
 *   <li>the q, k, v and o projections and the gate, up and down projections of the MLP:
 *       2 FLOPs per multiply-add, i.e. {@code 2·in·out} per matrix;</li>
 *   <li>attention over the causal context: a query at position p reads p+1 keys, costing
 *       {@code 2·qDim·(p+1)} for the scores q·k and as much for the weighted sum of values
 *       (grouped-query heads share keys but each query head does its own products);</li>
 *   <li>the four RMS norms of the layer: {@code 4·hidden} each (the sum of squares is hidden
 *       multiply-adds, then two multiplies per value, by 1/rms and by the weight).</li>
 * </ul>
 * Per position, once per step after the stack: the final norm ({@code 4·hidden}) and the exit gate
 * ({@code 2·hidden + 1}: a dot product and the bias), both at every position since the normed state
 * is the next step's input and Ouro computes λ everywhere. The LM head ({@code 2·hidden·vocab}) runs
 * only where an answer is read: at the last position of the last step, once per generated token.
 *
 * <p>Not counted: the token embedding (a lookup), the rotary rotation, the softmax's
 * exponentials and normalisation, SiLU and its product with up, the residual additions, the
 * sigmoid of the gate and each norm's reciprocal square root. They are element-wise, the same for
 * every way of arranging the compute, and a few percent of the total at most.
 */
public final class Flops {
    private Flops() {}

    /** A full forward of a prompt of {@code promptLength} tokens through {@code steps} loop steps, read at its last position. */
    public static long forward(LoopConfig c, int steps, int promptLength) {
        return generation(c, steps, promptLength, 1);
    }

    /**
     * Greedy decoding with a key/value cache: a prefill of the prompt (read at its last position,
     * which gives the first new token), then each new token but the last fed back at the next
     * position, attending to every earlier position. So {@code generatedTokens} tokens cost a forward
     * over {@code promptLength + generatedTokens − 1} positions and as many head applications as
     * tokens; one token is exactly {@link #forward}.
     */
    public static long generation(LoopConfig c, int steps, int promptLength, int generatedTokens) {
        if (steps < 1) {
            throw new IllegalArgumentException("steps must be at least 1, got " + steps);
        }
        if (promptLength < 1) {
            throw new IllegalArgumentException("the prompt must hold at least one token, got " + promptLength);
        }
        if (generatedTokens < 1) {
            throw new IllegalArgumentException("at least one token must be generated (read), got " + generatedTokens);
        }
        long positions = Math.addExact(promptLength, generatedTokens - 1L);
        long h = c.hiddenSize();
        long layer = Math.addExact(Math.multiplyExact(positions, perLayerPosition(c)),
                Math.multiplyExact(2L * c.qDim(), Math.multiplyExact(positions, positions + 1)));
        long readout = Math.multiplyExact(positions, 4 * h + 2 * h + 1);
        long step = Math.addExact(Math.multiplyExact(c.numLayers(), layer), readout);
        long head = Math.multiplyExact(generatedTokens, 2 * h * c.vocabSize());
        return Math.addExact(Math.multiplyExact(steps, step), head);
    }

    /** The learned parameters, a tied head counted once: every weight of a model of this config. */
    public static long parameters(LoopConfig c) {
        return c.parameterCount();
    }

    /** One layer at one position, apart from attention's context-dependent part. */
    private static long perLayerPosition(LoopConfig c) {
        long h = c.hiddenSize();
        long projections = 2 * h * (c.qDim() + 2L * c.kvDim()) + 2L * c.qDim() * h;
        long mlp = 3 * 2 * h * c.intermediateSize();
        long norms = 4 * 4 * h;
        return projections + mlp + norms;
    }
}
