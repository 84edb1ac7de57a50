package org.looplens.app.compare;

import org.looplens.engine.config.LoopConfig;

/**
 * What answering one question costs a model. The comparison's own {@link MatmulCostModel} counts
 * matrix multiply-adds from the config's shapes; {@code org.looplens.analyses.cost.Flops} is meant
 * to replace it through this interface once merged (an adapter is a few lines:
 * {@code generated <= 1 ? Flops.forward(c, steps, promptLength)
 * : Flops.generation(c, steps, promptLength, generated)} and {@code Flops.parameters(c)}).
 */
public interface CostModel {

    /**
     * Floating-point operations to answer greedily: read a prompt of {@code promptLength} tokens
     * with {@code steps} loop steps, then produce {@code generated} tokens (the first from the
     * prompt's last position, each further one after feeding the previous back through the KV cache).
     */
    long flopsPerQuestion(LoopConfig c, int steps, int promptLength, int generated);

    /** Learned parameters. */
    long parameters(LoopConfig c);

    /** One line for the report saying what is counted. */
    String description();
}
