package org.looplens.engine.train;

/**
 * What an objective hands to the backward pass: the gradient of the loss with respect to each
 * step's logits and gate logits, over the packed rows. A null entry means no gradient there.
 */
public final class StepGradients {
    final float[][] logits;
    final float[][] gate;

    public StepGradients(int steps) {
        logits = new float[steps][];
        gate = new float[steps][];
    }

    public float[] logits(int step) {
        return logits[step];
    }

    public float[] gate(int step) {
        return gate[step];
    }
}
