package org.looplens.engine.run;

import org.looplens.engine.InvalidInputException;

/**
 * How the next token is chosen from logits: temperature 0 is greedy; otherwise softmax at the
 * temperature, restricted to the top-k tokens (0 = no limit) and then to the smallest set whose
 * mass reaches top-p (1 = no limit), drawn with a seeded generator.
 */
public record Sampling(double temperature, int topK, double topP, long seed) {

    public Sampling {
        if (!(temperature >= 0) || Double.isInfinite(temperature)) {
            throw new InvalidInputException("sampling", "temperature must be ≥ 0, got " + temperature);
        }
        if (topK < 0) {
            throw new InvalidInputException("sampling", "top-k must be ≥ 0, got " + topK);
        }
        if (!(topP > 0 && topP <= 1)) {
            throw new InvalidInputException("sampling", "top-p must lie in (0, 1], got " + topP);
        }
    }

    public static Sampling greedy() {
        return new Sampling(0, 0, 1, 0);
    }

    public boolean isGreedy() {
        return temperature == 0;
    }
}
