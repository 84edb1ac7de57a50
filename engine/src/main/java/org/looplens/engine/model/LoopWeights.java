package org.looplens.engine.model;

import java.util.List;
import org.looplens.engine.tensor.WeightMatrix;

/**
 * Every learned tensor of a LoopLM. With tied embeddings {@code lmHead} is the same array as
 * {@code embedTokens}, so an update to one is an update to both.
 */
public record LoopWeights(
        WeightMatrix embedTokens,
        List<LayerWeights> layers,
        float[] finalNorm,
        float[] exitGateWeight,
        float[] exitGateBias,
        WeightMatrix lmHead) {

    public boolean tied() {
        return lmHead == embedTokens;
    }
}
