package org.looplens.app.compare;

import org.looplens.engine.config.LoopConfig;

/**
 * What answering one question costs a model ({@link FlopsCostModel} counts it from the shapes);
 * an interface so a comparison can be priced another way, e.g. in measured energy.
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
