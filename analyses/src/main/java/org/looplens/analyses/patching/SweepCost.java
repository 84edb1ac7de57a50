package org.looplens.analyses.patching;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What a sweep of patched (or ablated) runs cost: forward passes, layer applications actually
 * computed, the layer applications the same sweep would compute from scratch (every run from the
 * embedding), and wall time. With prefix reuse a run changed at (step t, layer l) resumes there,
 * so it computes only the {@code T·layers − (t·layers + l)} layer applications that follow.
 *
 * @param runs                    forward passes (the base runs included)
 * @param layerEvaluations        layer applications computed
 * @param scratchLayerEvaluations layer applications of the same runs from scratch
 * @param seconds                 wall time of the whole sweep
 */
public record SweepCost(int runs, long layerEvaluations, long scratchLayerEvaluations, double seconds) {

    /** The share of layer applications prefix reuse saved, 0 without it. */
    public double saving() {
        return scratchLayerEvaluations == 0 ? 0 : 1 - (double) layerEvaluations / scratchLayerEvaluations;
    }

    /** This cost and another, one after the other. */
    public SweepCost plus(SweepCost other) {
        return new SweepCost(runs + other.runs, layerEvaluations + other.layerEvaluations,
                scratchLayerEvaluations + other.scratchLayerEvaluations, seconds + other.seconds);
    }

    public Map<String, Object> toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("runs", runs);
        m.put("layer_evaluations", layerEvaluations);
        m.put("scratch_layer_evaluations", scratchLayerEvaluations);
        m.put("saving", saving());
        m.put("seconds", seconds);
        return m;
    }
}
