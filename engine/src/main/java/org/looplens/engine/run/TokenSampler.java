package org.looplens.engine.run;

import java.util.Arrays;
import java.util.SplittableRandom;

/** Draws tokens from logits according to a {@link Sampling}; reproducible for its seed. */
public final class TokenSampler {
    private final Sampling sampling;
    private final SplittableRandom rng;

    public TokenSampler(Sampling sampling) {
        this.sampling = sampling;
        this.rng = new SplittableRandom(sampling.seed());
    }

    /** Chooses a token from {@code logits[offset .. offset+vocab)}. */
    public int next(float[] logits, int offset, int vocab) {
        if (sampling.isGreedy()) {
            return argmax(logits, offset, vocab);
        }
        Integer[] order = new Integer[vocab];
        for (int i = 0; i < vocab; i++) {
            order[i] = i;
        }
        // Descending logit, ties broken by token id so the order (and the draw) is reproducible.
        Arrays.sort(order, (a, b) -> {
            int cmp = Float.compare(logits[offset + b], logits[offset + a]);
            return cmp != 0 ? cmp : Integer.compare(a, b);
        });
        int keep = sampling.topK() == 0 ? vocab : Math.min(vocab, sampling.topK());
        double max = logits[offset + order[0]];
        double[] p = new double[keep];
        double sum = 0;
        for (int i = 0; i < keep; i++) {
            p[i] = Math.exp((logits[offset + order[i]] - max) / sampling.temperature());
            sum += p[i];
        }
        double cumulative = 0;
        int nucleus = keep;
        for (int i = 0; i < keep; i++) {
            cumulative += p[i] / sum;
            if (cumulative >= sampling.topP()) {
                nucleus = i + 1;
                break;
            }
        }
        double mass = 0;
        for (int i = 0; i < nucleus; i++) {
            mass += p[i];
        }
        double u = rng.nextDouble() * mass;
        for (int i = 0; i < nucleus; i++) {
            u -= p[i];
            if (u < 0) {
                return order[i];
            }
        }
        return order[nucleus - 1];
    }

    /** The index of the largest of {@code vocab} values from {@code offset} (the first on ties). */
    public static int argmax(float[] logits, int offset, int vocab) {
        int best = 0;
        for (int i = 1; i < vocab; i++) {
            if (logits[offset + i] > logits[offset + best]) {
                best = i;
            }
        }
        return best;
    }
}
