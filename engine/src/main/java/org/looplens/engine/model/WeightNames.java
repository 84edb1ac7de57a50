package org.looplens.engine.model;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.looplens.engine.config.LoopConfig;
import org.looplens.engine.tensor.WeightMatrix;

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

    /** The float32 arrays of a (dense) weight set in {@link #expectedShapes} order. */
    public static Map<String, float[]> arrays(LoopConfig c, LoopWeights w) {
        Map<String, float[]> out = new LinkedHashMap<>();
        out.put(EMBED, w.embedTokens().dense());
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
            out.put(LM_HEAD, w.lmHead().dense());
        }
        return out;
    }

    static List<float[]> components(LayerWeights lw) {
        List<float[]> parts = new ArrayList<>(11);
        parts.add(lw.inputNorm());
        parts.add(lw.inputNorm2());
        parts.add(lw.postAttentionNorm());
        parts.add(lw.postAttentionNorm2());
        parts.add(lw.qProj().dense());
        parts.add(lw.kProj().dense());
        parts.add(lw.vProj().dense());
        parts.add(lw.oProj().dense());
        parts.add(lw.gateProj().dense());
        parts.add(lw.upProj().dense());
        parts.add(lw.downProj().dense());
        return parts;
    }

    /** Rebuilds a dense weight set from arrays keyed by name (the inverse of {@link #arrays}). */
    public static LoopWeights fromArrays(LoopConfig c, Map<String, float[]> byName) {
        return fromArrays(c, byName, Map.of());
    }

    /**
     * Rebuilds a weight set from float32 arrays and matrices already made (e.g. mapped BF16),
     * both keyed by name; a matrix in {@code matrices} wins over an array of the same name.
     */
    public static LoopWeights fromArrays(LoopConfig c, Map<String, float[]> byName, Map<String, WeightMatrix> matrices) {
        Map<String, int[]> shapes = expectedShapes(c);
        List<LayerWeights> layers = new ArrayList<>(c.numLayers());
        for (int l = 0; l < c.numLayers(); l++) {
            String[] names = new String[LAYER_SUFFIXES.size()];
            for (int i = 0; i < names.length; i++) {
                names[i] = layer(l, LAYER_SUFFIXES.get(i));
            }
            layers.add(new LayerWeights(byName.get(names[0]), byName.get(names[1]), byName.get(names[2]),
                    byName.get(names[3]), matrix(byName, matrices, shapes, names[4]),
                    matrix(byName, matrices, shapes, names[5]), matrix(byName, matrices, shapes, names[6]),
                    matrix(byName, matrices, shapes, names[7]), matrix(byName, matrices, shapes, names[8]),
                    matrix(byName, matrices, shapes, names[9]), matrix(byName, matrices, shapes, names[10])));
        }
        WeightMatrix embed = matrix(byName, matrices, shapes, EMBED);
        WeightMatrix head = c.tieWordEmbeddings() ? embed : matrix(byName, matrices, shapes, LM_HEAD);
        return new LoopWeights(embed, List.copyOf(layers), byName.get(NORM), byName.get(GATE_WEIGHT),
                byName.get(GATE_BIAS), head);
    }

    private static WeightMatrix matrix(Map<String, float[]> byName, Map<String, WeightMatrix> matrices,
                                       Map<String, int[]> shapes, String name) {
        if (matrices.containsKey(name)) {
            return matrices.get(name);
        }
        int[] s = shapes.get(name);
        return WeightMatrix.dense(byName.get(name), s[0], s[1]);
    }

    /** Whether a tensor of this config is a matrix (kept in place as BF16 when mapped). */
    public static boolean isMatrix(String name) {
        return name.equals(EMBED) || name.equals(LM_HEAD) || (name.startsWith("model.layers.")
                && (name.contains(".self_attn.") || name.contains(".mlp.")));
    }
}
