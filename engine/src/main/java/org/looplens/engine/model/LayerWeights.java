package org.looplens.engine.model;

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
        float[] qProj,
        float[] kProj,
        float[] vProj,
        float[] oProj,
        float[] gateProj,
        float[] upProj,
        float[] downProj) {}
