package org.looplens.engine.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.looplens.engine.TestModels;
import org.looplens.engine.config.LoopConfig;
import org.looplens.engine.kernels.CpuKernels;
import org.looplens.engine.model.LoopModel;
import org.looplens.engine.run.ForwardTape;
import org.looplens.engine.run.LoopRunner;
import org.looplens.engine.run.RunOptions;

/**
 * The float backward pass against central finite differences of an independent double-precision
 * forward, for every parameter tensor, on random tiny models: GQA, tied embeddings and T = 1,
 * with a batch of two sequences of different lengths.
 */
class FiniteDifferenceTest {
    private static final double BETA = 0.1;
    private static final int[][] SEQUENCES = {{3, 7, 1, 12, 5, 9}, {2, 11, 4, 8}};

    static Stream<Arguments> models() {
        return Stream.of(
                Arguments.of("GQA, untied, T=3", TestModels.gqaConfig(), 3),
                Arguments.of("tied, T=4", TestModels.tiedConfig(), 4),
                Arguments.of("T=1", TestModels.tiedConfig(), 1));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("models")
    void stageOneGradientOfEveryParameterMatchesFiniteDifferences(String name, LoopConfig config, int steps) {
        check(config, steps, StageOneObjective.entropy(BETA), (ref, seqs) -> ref.stageOne(seqs, BETA));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("models")
    void stageTwoGateGradientMatchesFiniteDifferences(String name, LoopConfig config, int steps) {
        if (steps == 1) {
            return; // no step has a predecessor: Stage II is empty at T = 1 (its loss is 0)
        }
        check(config, steps, new StageTwoObjective(50, 0.005), (ref, seqs) -> ref.stageTwo(seqs, 50, 0.005));
    }

    private interface Loss {
        double of(DoubleReference reference, int[][] sequences);
    }

    private static void check(LoopConfig config, int steps, Objective objective, Loss loss) {
        LoopModel model = TestModels.random(config, 17);
        Parameters params = Parameters.of(model);
        Batch batch = Batch.of(List.of(SEQUENCES));
        ForwardTape tape = new ForwardTape(config, steps, batch.lengths());
        new LoopRunner(model, CpuKernels.shared()).forward(batch.sequences(), RunOptions.defaults().withSteps(steps), tape);
        StepGradients up = new StepGradients(steps);
        LossReport report = objective.evaluate(tape, batch, up);
        new Backprop(model, CpuKernels.shared()).backward(tape, batch, up, params.gradients(),
                objective.trainsLanguageModel());

        Map<String, double[]> weights = new LinkedHashMap<>();
        for (Parameters.Entry e : params.entries()) {
            double[] d = new double[e.value().length];
            for (int i = 0; i < d.length; i++) {
                d[i] = e.value()[i];
            }
            weights.put(e.name(), d);
        }
        DoubleReference reference = new DoubleReference(config, weights, steps);
        assertEquals(loss.of(reference, SEQUENCES), report.loss(), 1e-5, "loss");

        SplittableRandom rng = new SplittableRandom(5);
        int checked = 0;
        for (Parameters.Entry e : params.entries()) {
            if (!objective.trainsLanguageModel() && !e.isExitGate()) {
                assertTrue(isZero(e.grad()), e.name() + " must get no gradient in Stage II");
                continue;
            }
            double[] wd = weights.get(e.name());
            double scale = maxAbs(e.grad());
            for (int sample = 0; sample < Math.min(8, wd.length); sample++) {
                int i = sample == 0 ? argMaxAbs(e.grad()) : rng.nextInt(wd.length);
                double eps = 1e-5;
                double saved = wd[i];
                wd[i] = saved + eps;
                double plus = loss.of(reference, SEQUENCES);
                wd[i] = saved - eps;
                double minus = loss.of(reference, SEQUENCES);
                wd[i] = saved;
                double fd = (plus - minus) / (2 * eps);
                double got = e.grad()[i];
                assertEquals(fd, got, 1e-3 * Math.abs(fd) + 1e-4 * scale + 1e-7,
                        e.name() + "[" + i + "]: finite difference " + fd + ", backward " + got);
                checked++;
            }
        }
        assertTrue(checked > 0);
    }

    private static boolean isZero(float[] a) {
        for (float v : a) {
            if (v != 0) {
                return false;
            }
        }
        return true;
    }

    private static double maxAbs(float[] a) {
        double m = 0;
        for (float v : a) {
            m = Math.max(m, Math.abs(v));
        }
        return m;
    }

    private static int argMaxAbs(float[] a) {
        int best = 0;
        for (int i = 1; i < a.length; i++) {
            if (Math.abs(a[i]) > Math.abs(a[best])) {
                best = i;
            }
        }
        return best;
    }
}
