package org.looplens.engine.train;

import org.looplens.engine.run.ForwardTape;

/** A training loss over all loop steps: its value and its gradients with respect to step outputs. */
public interface Objective {

    /**
     * Computes the loss on a taped forward pass of {@code batch}, writing d loss / d logits and
     * d loss / d gate logits into {@code out}.
     */
    LossReport evaluate(ForwardTape tape, Batch batch, StepGradients out);

    /**
     * Whether gradients flow into the language model. Stage II trains the exit gate alone on a
     * frozen model: its gradients stop at the gate.
     */
    default boolean trainsLanguageModel() {
        return true;
    }
}
