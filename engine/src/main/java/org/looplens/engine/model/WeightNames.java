package org.looplens.engine.model;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.looplens.engine.config.LoopConfig;

/**
 * The Hugging Face tensor names of an Ouro checkpoint and their shapes, in one place, so the
 * reader, the writer and the gradient files agree on them.
 */
public final class WeightNames {
    public static final String EMBED = "model.embed_tokens.weight";
    public static final String NORM = "model.norm.weight";
    public static final String GATE_WEIGHT = "model.early_exit_gate.weight";
    public static final String GATE_BIAS = "model.early_exit_gate.bias";
    public static final String LM_HEAD = "lm_head.weight";

    /** The per-layer tensor suffixes, in {@link LayerWeights} component order. */
    public static final List<String> LAYER_SUFFIXES = List.of(
            "input_layernorm.weight",
            "input_layernorm_2.weight",
            "post_attention_layernorm.weight",
            "post_attention_layernorm_2.weight",
            "self_attn.q_proj.weight",
            "self_attn.k_proj.weight",
            "self_attn.v_proj.weight",
            "self_attn.o_proj.weight",
            "mlp.gate_proj.weight",
            "mlp.up_proj.weight",
            "mlp.down_proj.weight");

    private WeightNames() {}

    public static String layer(int layer, String suffix) {
        return "model.layers." + layer + "." + suffix;
    }

    /** Shapes of the per-layer tensors, in {@link #LAYER_SUFFIXES} order. */
    public static List<int[]> layerShapes(LoopConfig c) {
        int h = c.hiddenSize();
        return List.of(
                new int[] {h}, new int[] {h}, new int[] {h}, new int[] {h},
                new int[] {c.qDim(), h}, new int[] {c.kvDim(), h}, new int[] {c.kvDim(), h},
                new int[] {h, c.qDim()},
                new int[] {c.intermediateSize(), h}, new int[] {c.intermediateSize(), h},
                new int[] {h, c.intermediateSize()});
    }

    /**
     * Every tensor a checkpoint of this config holds, name → shape, in a stable order. A tied
     * config has no {@code lm_head.weight}.
     */
    public static Map<String, int[]> expectedShapes(LoopConfig c) {
        Map<String, int[]> shapes = new LinkedHashMap<>();
        int h = c.hiddenSize();
        shapes.put(EMBED, new int[] {c.vocabSize(), h});
        List<int[]> layerShapes = layerShapes(c);
        for (int l = 0; l < c.numLayers(); l++) {
            for (int i = 0; i < LAYER_SUFFIXES.size(); i++) {
                shapes.put(layer(l, LAYER_SUFFIXES.get(i)), layerShapes.get(i));
            }
        }
        shapes.put(NORM, new int[] {h});
        shapes.put(GATE_WEIGHT, new int[] {1, h});
        shapes.put(GATE_BIAS, new int[] {1});
        if (!c.tieWordEmbeddings()) {
            shapes.put(LM_HEAD, new int[] {c.vocabSize(), h});
        }
        return shapes;
    }

    /** The arrays of a weight set in {@link #expectedShapes} order. */
    public static Map<String, float[]> arrays(LoopConfig c, LoopWeights w) {
        Map<String, float[]> out = new LinkedHashMap<>();
        out.put(EMBED, w.embedTokens());
        for (int l = 0; l < c.numLayers(); l++) {
            List<float[]> parts = components(w.layers().get(l));
            for (int i = 0; i < LAYER_SUFFIXES.size(); i++) {
                out.put(layer(l, LAYER_SUFFIXES.get(i)), parts.get(i));
            }
        }
        out.put(NORM, w.finalNorm());
        out.put(GATE_WEIGHT, w.exitGateWeight());
        out.put(GATE_BIAS, w.exitGateBias());
        if (!c.tieWordEmbeddings()) {
            out.put(LM_HEAD, w.lmHead());
        }
        return out;
    }

    static List<float[]> components(LayerWeights lw) {
        List<float[]> parts = new ArrayList<>(11);
        parts.add(lw.inputNorm());
        parts.add(lw.inputNorm2());
        parts.add(lw.postAttentionNorm());
        parts.add(lw.postAttentionNorm2());
        parts.add(lw.qProj());
        parts.add(lw.kProj());
        parts.add(lw.vProj());
        parts.add(lw.oProj());
        parts.add(lw.gateProj());
        parts.add(lw.upProj());
        parts.add(lw.downProj());
        return parts;
    }

    /** Rebuilds a weight set from arrays keyed by name (the inverse of {@link #arrays}). */
    public static LoopWeights fromArrays(LoopConfig c, Map<String, float[]> byName) {
        List<LayerWeights> layers = new ArrayList<>(c.numLayers());
        for (int l = 0; l < c.numLayers(); l++) {
            float[][] p = new float[LAYER_SUFFIXES.size()][];
            for (int i = 0; i < p.length; i++) {
                p[i] = byName.get(layer(l, LAYER_SUFFIXES.get(i)));
            }
            layers.add(new LayerWeights(p[0], p[1], p[2], p[3], p[4], p[5], p[6], p[7], p[8], p[9], p[10]));
        }
        float[] embed = byName.get(EMBED);
        float[] head = c.tieWordEmbeddings() ? embed : byName.get(LM_HEAD);
        return new LoopWeights(embed, List.copyOf(layers), byName.get(NORM), byName.get(GATE_WEIGHT),
                byName.get(GATE_BIAS), head);
    }
}
