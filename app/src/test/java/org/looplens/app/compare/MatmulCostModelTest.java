package org.looplens.app.compare;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.looplens.engine.config.LoopConfig;

/** The matmul count, worked out by hand for a small config. */
class MatmulCostModelTest {
    private static final LoopConfig C = LoopConfig.of(Map.of("vocab_size", 10, "hidden_size", 8,
            "intermediate_size", 16, "num_hidden_layers", 2, "num_attention_heads", 2, "num_key_value_heads", 1,
            "total_ut_steps", 3));

    @Test
    void countsProjectionsAttentionGateAndHead() {
        // per token and layer: q 8·8 + k, v 2·8·4 + o 8·8 + MLP 3·8·16 = 64 + 64 + 64 + 384 = 576
        // prompt 3, one answer token: 3 positions, attention over 1+2+3 = 6 keys, 2·qDim(8) = 16 per key
        // per step: 3·(2·576 + 8 gate) + 2 layers·16·6 = 3480 + 192 = 3672; head 8·10 = 80
        MatmulCostModel m = new MatmulCostModel();
        assertEquals(2 * (3672 + 80), m.flopsPerQuestion(C, 1, 3, 1));
        assertEquals(2 * (3 * 3672 + 80), m.flopsPerQuestion(C, 3, 3, 1));
        // two generated tokens: the first is fed back, so 4 positions (1+2+3+4 = 10 keys) and two heads
        assertEquals(2 * (4 * (2 * 576 + 8) + 2 * 16 * 10 + 2 * 80), m.flopsPerQuestion(C, 1, 3, 2));
        assertEquals(C.parameterCount(), m.parameters(C));
    }

    @Test
    void depthBetweenStepsIsLinear() {
        double[] atStep = {0, 100, 250, 400};
        assertEquals(175, MemberMeasurement.atDepth(atStep, 1.5), 1e-12);
        assertEquals(400, MemberMeasurement.atDepth(atStep, 3), 1e-12);
        assertEquals(100, MemberMeasurement.atDepth(atStep, 1), 1e-12);
    }
}
