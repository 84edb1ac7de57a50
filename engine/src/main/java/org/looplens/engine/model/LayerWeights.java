package org.looplens.engine.model;

import org.looplens.engine.tensor.WeightMatrix;

/**
 * The weights of one shared decoder layer, in Hugging Face layout ({@code [out, in]} matrices).
 * The four norms are Ouro's "sandwich": N1 before attention, N2 on the attention branch, N3 before
 * the MLP, N4 on the MLP branch.
 */
public record LayerWeights(
        float[] inputNorm,
        float[] inputNorm2,
        float[] postAttentionNorm,
        float[] postAttentionNorm2,
        WeightMatrix qProj,
        WeightMatrix kProj,
        WeightMatrix vProj,
        WeightMatrix oProj,
        WeightMatrix gateProj,
        WeightMatrix upProj,
        WeightMatrix downProj) {}
