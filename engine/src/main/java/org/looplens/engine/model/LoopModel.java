package org.looplens.engine.model;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.looplens.engine.config.LoopConfig;

/**
 * A LoopLM ready to run: its config, its weights, its rotary tables, where it came from and
 * what looked suspicious when it was loaded (for example NaN weights).
 */
public final class LoopModel implements AutoCloseable {
    private final LoopConfig config;
    private final LoopWeights weights;
    private final RopeTable rope;
    private final Path source;
    private final List<String> warnings;
    private final AutoCloseable mapping;

    public LoopModel(LoopConfig config, LoopWeights weights, Path source, List<String> warnings) {
        this(config, weights, source, warnings, null);
    }

    /** A model whose weights live partly in {@code mapping} (a mapped file), released by {@link #close}. */
    public LoopModel(LoopConfig config, LoopWeights weights, Path source, List<String> warnings, AutoCloseable mapping) {
        this.mapping = mapping;
        this.config = config;
        this.weights = weights;
        this.rope = new RopeTable(config.headDim(), config.ropeTheta());
        this.source = source;
        this.warnings = List.copyOf(warnings);
    }

    public LoopModel(LoopConfig config, LoopWeights weights) {
        this(config, weights, null, List.of());
    }

    public LoopConfig config() {
        return config;
    }

    public LoopWeights weights() {
        return weights;
    }

    public RopeTable rope() {
        return rope;
    }

    /** The checkpoint folder this model was loaded from, if any. */
    public Optional<Path> source() {
        return Optional.ofNullable(source);
    }

    /** Unmaps the checkpoint file of a {@link Checkpoint#loadMapped} model; a no-op otherwise. */
    @Override
    public void close() {
        if (mapping != null) {
            try {
                mapping.close();
            } catch (Exception e) {
                throw new IllegalStateException("cannot unmap " + source, e);
            }
        }
    }

    /** Problems found at load time that do not stop the model from running. */
    public List<String> warnings() {
        return warnings;
    }
}
