package org.looplens.analyses.probes;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.looplens.analyses.SmallModels;
import org.looplens.engine.data.Example;
import org.looplens.engine.data.Format;
import org.looplens.engine.data.MultiHopTask;
import org.looplens.engine.data.Split;
import org.looplens.engine.kernels.CpuKernels;
import org.looplens.engine.model.LoopModel;
import org.looplens.engine.run.RunOptions;

/** The hop × step probe grids: planted hop codes are found where they were planted, and runs repeat exactly. */
class StepProbesTest {
    private static final MultiHopTask TASK = new MultiHopTask(16, 4, 3, 3, 0.3, 0.2, 4);

    /** Distinct multi-hop training questions (2 and 3 hops), at most {@code count}. */
    private static List<Example> questions(int count) {
        List<Example> out = new ArrayList<>();
        Set<String> keys = new HashSet<>();
        for (long i = 0; out.size() < count; i++) {
            Example e = TASK.example(Split.TRAIN, i, Format.DIRECT);
            if (e.difficulty() >= 2 && keys.add(e.key())) {
                out.add(e);
            }
        }
        return out;
    }

    /**
     * States in which step t holds the entity after hop t+1 as a one-hot code plus noise: each
     * hop's probe must read its hop at its own step, and the control task must stay far below.
     */
    @Test
    void findsEachHopAtTheStepItWasPlantedIn() {
        List<Example> examples = questions(900);
        int vocab = TASK.vocabulary().size();
        int steps = 3;
        double[][][] states = new double[steps][examples.size()][vocab];
        SplittableRandom rng = new SplittableRandom(1);
        for (int i = 0; i < examples.size(); i++) {
            int[] hops = examples.get(i).intermediates();
            for (int t = 0; t < steps; t++) {
                for (int j = 0; j < vocab; j++) {
                    states[t][i][j] = 0.3 * rng.nextGaussian();
                }
                states[t][i][hops[Math.min(t, hops.length - 1)]] += 3;
            }
        }
        ProbeReport report = StepProbes.analyse(new ProbeStates(states, new int[examples.size()]), examples,
                ProbeTarget.HOPS, 0.7, 3);
        assertEquals(2, report.groups().size());
        for (ProbeGrid g : report.groups()) {
            assertArrayEquals(g.hops() == 2 ? new int[] {1, 2} : new int[] {1, 2, 3}, g.targetHops());
            for (int r = 0; r < g.targetHops().length; r++) {
                int plantedAt = g.targetHops()[r] - 1;
                assertTrue(g.accuracy()[r][plantedAt] >= 0.95, g.hops() + "-hop questions, hop " + g.targetHops()[r]
                        + " at step " + plantedAt + ": " + g.accuracy()[r][plantedAt]);
                // The control labels are a random function of the start entity. The planted entity
                // after hop j narrows the start down to the 4^j chains that reach it, so the control
                // is above 1/16 at hop 1 (4 candidate starts) but must stay far below the real probe.
                assertTrue(g.control()[r][plantedAt] < 0.5, "control " + g.control()[r][plantedAt]);
                assertTrue(g.selectivity()[r][plantedAt] > 0.45, "selectivity " + g.selectivity()[r][plantedAt]);
            }
        }
    }

    @Test
    void aReportRepeatsExactlyForASeedAndHoldsItsInvariants() {
        LoopModel model = SmallModels.random(TASK.vocabulary().size(), 2, 3, 0.5, 7);
        List<Example> examples = questions(160);
        ProbeReport a = StepProbes.run(model, CpuKernels.shared(), examples, ProbeTarget.HOPS, RunOptions.defaults(), 0.7, 5);
        ProbeReport b = StepProbes.run(model, CpuKernels.shared(), examples, ProbeTarget.HOPS, RunOptions.defaults(), 0.7, 5);
        assertEquals(a.toCsv(), b.toCsv());
        assertArrayEquals(a.agreement(), b.agreement());
        assertEquals(3, a.steps());
        for (double[] row : a.agreement()) {
            assertEquals(3, row.length);
        }
        for (int s = 0; s < 3; s++) {
            assertEquals(1.0, a.agreement()[s][s], 0);
            for (int t = 0; t < 3; t++) {
                assertEquals(a.agreement()[s][t], a.agreement()[t][s], 0);
            }
        }
        for (ProbeGrid g : a.groups()) {
            assertEquals(g.hops(), g.accuracy().length);
            double[][] sel = g.selectivity();
            for (int r = 0; r < g.hops(); r++) {
                for (int t = 0; t < 3; t++) {
                    assertTrue(g.accuracy()[r][t] >= 0 && g.accuracy()[r][t] <= 1);
                    assertEquals(g.accuracy()[r][t] - g.control()[r][t], sel[r][t], 0);
                }
            }
            assertEquals(1.0, g.agreement()[1][1], 0);
        }
        ProbeReport answers = StepProbes.run(model, CpuKernels.shared(), examples, ProbeTarget.ANSWER,
                RunOptions.defaults(), 0.7, 5);
        for (ProbeGrid g : answers.groups()) {
            assertArrayEquals(new int[] {g.hops()}, g.targetHops());
        }
    }

    @Test
    void questionsWithoutIntermediatesAreRefused() {
        Example plain = new Example(new int[] {0, 5, 6}, new boolean[] {false, true}, 2, new int[] {6}, 1, new int[0],
                "k", "a b c");
        var e = assertThrows(IllegalArgumentException.class, () -> StepProbes.analyse(
                new ProbeStates(new double[1][1][2], new int[1]), List.of(plain), ProbeTarget.ANSWER, 0.5, 1));
        assertTrue(e.getMessage().contains("intermediate"), e.getMessage());
    }

    /** Strength 0 changes nothing; the share that ends on the target is a share. */
    @Test
    void steeringAtStrengthZeroChangesNothing() {
        LoopModel model = SmallModels.random(TASK.vocabulary().size(), 2, 3, 0.5, 7);
        ProbeSteering s = ProbeSteering.check(model, CpuKernels.shared(), questions(120), 1, new double[] {0, 1, 4},
                RunOptions.defaults(), 0.7, 2);
        assertEquals(0.0, s.targetProbChange()[0], 0);
        assertEquals(36, s.questions());
        for (double v : s.becameTarget()) {
            assertTrue(v >= 0 && v <= 1);
        }
        assertTrue(s.scale() > 0);
    }
}
