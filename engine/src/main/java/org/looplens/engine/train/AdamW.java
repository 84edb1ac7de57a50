package org.looplens.engine.train;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * AdamW with decoupled weight decay (applied to matrices, not to norms and biases), bias
 * correction, and state kept per parameter name so it can be saved and restored exactly.
 */
public final class AdamW {
    private final double beta1;
    private final double beta2;
    private final double epsilon;
    private final Map<String, float[]> firstMoment = new LinkedHashMap<>();
    private final Map<String, float[]> secondMoment = new LinkedHashMap<>();
    private long updates;

    public AdamW(double beta1, double beta2, double epsilon) {
        this.beta1 = beta1;
        this.beta2 = beta2;
        this.epsilon = epsilon;
    }

    public static AdamW defaults() {
        return new AdamW(0.9, 0.95, 1e-8);
    }

    /**
     * One update of every entry for which {@code trainable} holds, at learning rate {@code lr} and
     * decay {@code weightDecay}.
     */
    public void step(Parameters params, double lr, double weightDecay, java.util.function.Predicate<Parameters.Entry> trainable) {
        updates++;
        double c1 = 1 - Math.pow(beta1, updates);
        double c2 = 1 - Math.pow(beta2, updates);
        for (Parameters.Entry e : params.entries()) {
            if (!trainable.test(e)) {
                continue;
            }
            float[] w = e.value();
            float[] g = e.grad();
            float[] m = firstMoment.computeIfAbsent(e.name(), n -> new float[w.length]);
            float[] v = secondMoment.computeIfAbsent(e.name(), n -> new float[w.length]);
            double decay = e.decay() ? 1 - lr * weightDecay : 1;
            for (int i = 0; i < w.length; i++) {
                double gi = g[i];
                double mi = beta1 * m[i] + (1 - beta1) * gi;
                double vi = beta2 * v[i] + (1 - beta2) * gi * gi;
                m[i] = (float) mi;
                v[i] = (float) vi;
                double update = (mi / c1) / (Math.sqrt(vi / c2) + epsilon);
                w[i] = (float) (w[i] * decay - lr * update);
            }
        }
    }

    /** Number of updates taken so far (for bias correction). */
    public long updates() {
        return updates;
    }

    /**
     * The moments as named tensors ({@code m.<param>}, {@code v.<param>}) for saving, sorted by
     * name so that a restored optimiser writes the same file as the original.
     */
    public Map<String, float[]> state() {
        Map<String, float[]> out = new java.util.TreeMap<>();
        firstMoment.forEach((k, v) -> out.put("m." + k, v));
        secondMoment.forEach((k, v) -> out.put("v." + k, v));
        return out;
    }

    /**
     * Restores moments and the update count saved by {@link #state()}, checking each moment
     * against the parameter it belongs to; {@code source} names the file in errors.
     */
    public void restore(Map<String, float[]> state, long updateCount, Parameters params, String source) {
        Map<String, Integer> sizes = new java.util.HashMap<>();
        params.entries().forEach(e -> sizes.put(e.name(), e.value().length));
        firstMoment.clear();
        secondMoment.clear();
        state.forEach((k, v) -> {
            boolean first = k.startsWith("m.");
            if (!first && !k.startsWith("v.")) {
                throw new org.looplens.engine.InvalidInputException(source, "unexpected tensor '" + k
                        + "' (optimizer moments are named m.<param> and v.<param>)");
            }
            String name = k.substring(2);
            Integer size = sizes.get(name);
            if (size == null || size != v.length) {
                throw new org.looplens.engine.InvalidInputException(source, "moment '" + k + "' does not match a"
                        + " parameter of the model" + (size == null ? "" : " (" + v.length + " values for " + size + ")"));
            }
            (first ? firstMoment : secondMoment).put(name, v);
        });
        updates = updateCount;
    }
}
