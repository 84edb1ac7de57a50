package org.looplens.engine.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.looplens.engine.TestModels;
import org.looplens.engine.model.LoopModel;
import org.looplens.engine.model.WeightNames;

/** AdamW and the learning-rate schedule, against values worked out by hand. */
class OptimizerTest {

    @Test
    void firstAdamWStepMovesEachWeightByTheRateAgainstItsGradientSign() {
        LoopModel model = TestModels.random(TestModels.tiedConfig(), 1);
        Parameters params = Parameters.of(model);
        Map<String, float[]> before = new java.util.HashMap<>();
        for (Parameters.Entry e : params.entries()) {
            before.put(e.name(), e.value().clone());
            for (int i = 0; i < e.grad().length; i++) {
                e.grad()[i] = (i % 3 - 1) * 0.5f; // -0.5, 0, 0.5, ...
            }
        }
        double lr = 0.01;
        double wd = 0.1;
        AdamW.defaults().step(params, lr, wd, e -> true);
        for (Parameters.Entry e : params.entries()) {
            float[] w0 = before.get(e.name());
            double decay = e.decay() ? 1 - lr * wd : 1;
            for (int i = 0; i < w0.length; i++) {
                double g = e.grad()[i];
                // Bias-corrected m/√v is g/|g| on the first step (ε aside).
                double expected = w0[i] * decay - lr * (g == 0 ? 0 : Math.signum(g) * 0.5 / (0.5 + 1e-8));
                assertEquals(expected, e.value()[i], 1e-6, e.name() + "[" + i + "]");
            }
        }
        assertEquals(false, params.entries().stream().filter(e -> e.name().endsWith("norm.weight")
                || e.name().equals(WeightNames.GATE_BIAS)).anyMatch(Parameters.Entry::decay), "norms and biases");
    }

    @Test
    void untrainableEntriesStayPut() {
        LoopModel model = TestModels.random(TestModels.tiedConfig(), 1);
        Parameters params = Parameters.of(model);
        params.entries().forEach(e -> java.util.Arrays.fill(e.grad(), 1f));
        float[] embed = model.weights().embedTokens().dense().clone();
        AdamW.defaults().step(params, 0.1, 0, Parameters.Entry::isExitGate);
        assertArrayEquals(embed, model.weights().embedTokens().dense());
        assertEquals(-0.3f - 0.1f, model.weights().exitGateBias()[0], 1e-6);
    }

    @Test
    void warmupThenCosineToTheFloor() {
        LearningRateSchedule s = new LearningRateSchedule(1.0, 4, 14, 0.1, true);
        assertEquals(0.25, s.at(0), 1e-12);
        assertEquals(1.0, s.at(3), 1e-12);
        assertEquals(1.0, s.at(4), 1e-12);
        assertEquals(0.1 + 0.45 * (1 + Math.cos(Math.PI * 4 / 9.0)), s.at(8), 1e-12, "progress 4/9 of the decay");
        assertEquals(0.1, s.at(13), 1e-12);
        assertEquals(0.55, new LearningRateSchedule(1.0, 0, 3, 0.1, true).at(1), 1e-12);
        assertEquals(0.5, new LearningRateSchedule(0.5, 0, 100, 0.1, false).at(70), 1e-12);
    }

    @Test
    void gradientNormAndScaling() {
        LoopModel model = TestModels.random(TestModels.tiedConfig(), 1);
        Parameters params = Parameters.of(model);
        long n = 0;
        for (Parameters.Entry e : params.entries()) {
            java.util.Arrays.fill(e.grad(), 2f);
            n += e.grad().length;
        }
        assertEquals(2 * Math.sqrt(n), params.gradientNorm(false), 1e-6);
        assertEquals(2 * Math.sqrt(model.config().hiddenSize() + 1), params.gradientNorm(true), 1e-9);
        params.scaleGradients(0.25);
        assertEquals(0.5 * Math.sqrt(n), params.gradientNorm(false), 1e-6);
        assertEquals(n, params.count());
    }
}
