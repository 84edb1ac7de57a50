package org.looplens.app.compare;

import org.looplens.analyses.cost.Flops;
import org.looplens.engine.config.LoopConfig;

/** The comparison's costs from {@link Flops}: every counted operation from the config's shapes. */
public final class FlopsCostModel implements CostModel {

    @Override
    public long flopsPerQuestion(LoopConfig c, int steps, int promptLength, int generated) {
        // Flops.generation feeds back every produced token but the last, as greedy answering does;
        // with one token it is exactly the prompt's forward.
        return generated <= 1 ? Flops.forward(c, steps, promptLength) : Flops.generation(c, steps, promptLength, generated);
    }

    @Override
    public long parameters(LoopConfig c) {
        return Flops.parameters(c);
    }

    @Override
    public String description() {
        return "2 FLOPs per multiply-add in every projection, MLP, causal attention over the context (keys and values"
                + " cached when decoding), RMSNorm, the exit gate at every step, and the LM head once per produced token;"
                + " embedding lookups, RoPE, softmax, SiLU and residual adds are not counted";
    }
}
