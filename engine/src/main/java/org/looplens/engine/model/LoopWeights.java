package org.looplens.engine.model;

import java.util.List;

/**
 * Every learned tensor of a LoopLM. With tied embeddings {@code lmHead} is the same array as
 * {@code embedTokens}, so an update to one is an update to both.
 */
public record LoopWeights(
        float[] embedTokens,
        List<LayerWeights> layers,
        float[] finalNorm,
        float[] exitGateWeight,
        float[] exitGateBias,
        float[] lmHead) {

    public boolean tied() {
        return lmHead == embedTokens;
    }
}
