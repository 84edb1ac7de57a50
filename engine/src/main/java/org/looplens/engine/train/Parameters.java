package org.looplens.engine.train;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.looplens.engine.config.LoopConfig;
import org.looplens.engine.model.LoopModel;
import org.looplens.engine.model.LoopWeights;
import org.looplens.engine.model.WeightNames;

/**
 * The learned tensors of a model, each with its gradient, in checkpoint order and with Hugging
 * Face names. A tied head appears once (as the embedding), so its gradient collects both uses.
 */
public final class Parameters {

    /**
     * One parameter tensor. Weight decay applies to matrices only; norms and biases are exempt.
     */
    public record Entry(String name, int[] shape, float[] value, float[] grad, boolean decay) {
        public boolean isExitGate() {
            return name.equals(WeightNames.GATE_WEIGHT) || name.equals(WeightNames.GATE_BIAS);
        }
    }

    private final List<Entry> entries;
    private final LoopWeights gradients;

    private Parameters(List<Entry> entries, LoopWeights gradients) {
        this.entries = List.copyOf(entries);
        this.gradients = gradients;
    }

    public static Parameters of(LoopModel model) {
        LoopConfig c = model.config();
        Map<String, int[]> shapes = WeightNames.expectedShapes(c);
        Map<String, float[]> values = WeightNames.arrays(c, model.weights());
        List<Entry> entries = new ArrayList<>();
        Map<String, float[]> grads = new java.util.LinkedHashMap<>();
        for (var e : values.entrySet()) {
            int[] shape = shapes.get(e.getKey());
            float[] grad = new float[e.getValue().length];
            grads.put(e.getKey(), grad);
            entries.add(new Entry(e.getKey(), shape, e.getValue(), grad, shape.length == 2));
        }
        return new Parameters(entries, WeightNames.fromArrays(c, grads));
    }

    public List<Entry> entries() {
        return entries;
    }

    /** The gradient arrays laid out like the weights, for the backward pass to write into. */
    public LoopWeights gradients() {
        return gradients;
    }

    public void zeroGradients() {
        for (Entry e : entries) {
            java.util.Arrays.fill(e.grad(), 0f);
        }
    }

    /** The global L2 norm of the gradients of the given entries. */
    public double gradientNorm(boolean exitGateOnly) {
        double sum = 0;
        for (Entry e : entries) {
            if (exitGateOnly && !e.isExitGate()) {
                continue;
            }
            for (float g : e.grad()) {
                sum += (double) g * g;
            }
        }
        return Math.sqrt(sum);
    }

    public void scaleGradients(double factor) {
        for (Entry e : entries) {
            float[] g = e.grad();
            for (int i = 0; i < g.length; i++) {
                g[i] = (float) (g[i] * factor);
            }
        }
    }

    public long count() {
        long n = 0;
        for (Entry e : entries) {
            n += e.value().length;
        }
        return n;
    }
}
