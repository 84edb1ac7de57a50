package org.looplens.analyses.cost;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.looplens.engine.config.LoopConfig;
import org.looplens.engine.model.LayerWeights;
import org.looplens.engine.model.LoopModel;
import org.looplens.engine.model.LoopWeights;
import org.looplens.engine.model.RandomInit;
import org.looplens.engine.tensor.WeightMatrix;

class FlopsTest {
    /** hidden 8, 2 layers, 2 heads of 4 over 1 kv head, intermediate 16, vocab 10. */
    private static LoopConfig small(boolean tied) {
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("vocab_size", 10);
        f.put("hidden_size", 8);
        f.put("intermediate_size", 16);
        f.put("num_hidden_layers", 2);
        f.put("num_attention_heads", 2);
        f.put("num_key_value_heads", 1);
        f.put("total_ut_steps", 2);
        f.put("max_position_embeddings", 16);
        f.put("tie_word_embeddings", tied);
        return LoopConfig.of(f);
    }

    @Test
    void forwardCountsEveryProductByHand() {
        // Per layer and position: q 2·8·8 = 128, k 2·8·4 = 64, v 64, o 128 → 384;
        // MLP gate, up, down 2·8·16 = 256 each → 768; four norms 4·(4·8) = 128. Sum 1280.
        // Attention of a layer over L = 3: queries see 1, 2, 3 keys, 4·qDim·(1+2+3) = 4·8·6 = 192.
        // One layer 3·1280 + 192 = 4032, two layers 8064. After the stack at 3 positions: final norm
        // 3·4·8 = 96, exit gate 3·(2·8 + 1) = 51. One step 8211, T = 2 steps 16422.
        // Head at the last position of the last step: 2·8·10 = 160. Total 16582.
        assertEquals(16582, Flops.forward(small(false), 2, 3));
        assertEquals(16582, Flops.forward(small(true), 2, 3), "tying the head shares weights, not work");
    }

    @Test
    void generationPrefillsThenAttendsToEveryEarlierPosition() {
        // 3 generated tokens after a 3-token prompt: 5 positions run (the last token is not fed back).
        // Per layer 5·1280 + 4·8·(1+2+3+4+5) = 6400 + 480 = 6880; two layers 13760; readout
        // 5·(32 + 17) = 245; a step 14005, two steps 28010; the head read 3 times, 480. Total 28490.
        assertEquals(28490, Flops.generation(small(false), 2, 3, 3));
        assertEquals(Flops.forward(small(false), 2, 3), Flops.generation(small(false), 2, 3, 1));
        // Decoding costs what a forward over the whole sequence costs, plus the head at every new token.
        assertEquals(Flops.forward(small(false), 2, 5) + 2 * 160, Flops.generation(small(false), 2, 3, 3));
    }

    @Test
    void stepsMultiplyEverythingButTheHead() {
        long one = Flops.forward(small(false), 1, 3);
        assertEquals(8211 + 160, one);
        assertEquals(4 * 8211 + 160, Flops.forward(small(false), 4, 3));
    }

    @Test
    void parametersAreTheWeightsOfAModel() {
        // Embedding 10·8 = 80; per layer norms 4·8 = 32, q 64, k 32, v 32, o 64, MLP 3·128 = 384 → 608;
        // two layers 1216; final norm 8; gate 8 + 1; untied head 80. Total 1393; tied 1313.
        assertEquals(1393, Flops.parameters(small(false)));
        assertEquals(1313, Flops.parameters(small(true)));
        for (boolean tied : new boolean[] {false, true}) {
            LoopModel m = RandomInit.create(small(tied), 3);
            assertEquals(weights(m), Flops.parameters(small(tied)));
        }
    }

    private static long weights(LoopModel m) {
        LoopWeights w = m.weights();
        long n = size(w.embedTokens()) + w.finalNorm().length + w.exitGateWeight().length + w.exitGateBias().length
                + (w.tied() ? 0 : size(w.lmHead()));
        for (LayerWeights l : w.layers()) {
            n += l.inputNorm().length + l.inputNorm2().length + l.postAttentionNorm().length
                    + l.postAttentionNorm2().length;
            for (WeightMatrix x : new WeightMatrix[] {l.qProj(), l.kProj(), l.vProj(), l.oProj(), l.gateProj(),
                    l.upProj(), l.downProj()}) {
                n += size(x);
            }
        }
        return n;
    }

    private static long size(WeightMatrix x) {
        return (long) x.rows() * x.cols();
    }

    @Test
    void badArgumentsAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> Flops.forward(small(false), 0, 3));
        assertThrows(IllegalArgumentException.class, () -> Flops.forward(small(false), 1, 0));
        assertThrows(IllegalArgumentException.class, () -> Flops.generation(small(false), 1, 3, 0));
    }
}
