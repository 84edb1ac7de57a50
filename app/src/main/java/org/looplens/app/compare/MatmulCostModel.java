package org.looplens.app.compare;

import org.looplens.engine.config.LoopConfig;

/**
 * FLOPs as 2 × the multiply-adds of the matrix products, from the config's shapes: per token and
 * per loop step, every layer's q, k, v, o and MLP projections plus attention over the tokens so
 * far (QKᵀ and AV) and the exit gate; per produced token, one LM head. Norms, RoPE, softmax and
 * activations are left out: they are linear in the width, small next to the products.
 */
public final class MatmulCostModel implements CostModel {

    @Override
    public long flopsPerQuestion(LoopConfig c, int steps, int promptLength, int generated) {
        if (steps < 1 || promptLength < 1 || generated < 1) {
            throw new IllegalArgumentException("steps, prompt length and generated tokens must be positive, got "
                    + steps + ", " + promptLength + ", " + generated);
        }
        long h = c.hiddenSize();
        long projections = h * c.qDim() + 2 * h * c.kvDim() + (long) c.qDim() * h + 3 * h * c.intermediateSize();
        long positions = promptLength + generated - 1L; // the last produced token is never fed back
        long contextSum = positions * (positions + 1) / 2; // position i attends to i keys
        long perStep = positions * (c.numLayers() * projections + h) + c.numLayers() * 2L * c.qDim() * contextSum;
        long head = (long) generated * h * c.vocabSize();
        return 2 * (steps * perStep + head);
    }

    @Override
    public long parameters(LoopConfig c) {
        return c.parameterCount();
    }

    @Override
    public String description() {
        return "2 × matrix multiply-adds (projections, attention QKᵀ and AV over the KV cache, exit gate, one LM head "
                + "per produced token); norms and activations not counted";
    }
}
