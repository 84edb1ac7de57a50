package org.looplens.analyses.exit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.looplens.analyses.SmallModels;
import org.looplens.engine.kernels.CpuKernels;
import org.looplens.engine.model.LoopModel;
import org.looplens.engine.run.ExitPolicy;
import org.looplens.engine.run.LoopRunner;
import org.looplens.engine.run.RunOptions;
import org.looplens.engine.run.RunResult;

/** The ends of the Q-exit curve are the first and the last step; depth grows with q. */
class ExitSweepsTest {
    private static final int STEPS = 4;
    private final LoopModel model = SmallModels.random(12, 2, STEPS, 0.6, 3);
    private final List<Question> questions = questions();

    private static List<Question> questions() {
        SplittableRandom rng = new SplittableRandom(9);
        List<Question> out = new ArrayList<>();
        for (int i = 0; i < 150; i++) {
            out.add(new Question(rng.ints(2 + rng.nextInt(6), 0, 12).toArray(), rng.nextInt(12), 1));
        }
        return out;
    }

    private double accuracyAt(RunOptions options) {
        LoopRunner runner = new LoopRunner(model, CpuKernels.shared());
        int correct = 0;
        for (Question q : questions) {
            RunResult r = runner.forward(q.prompt(), options);
            int v = r.output().dim(1);
            int last = r.length() - 1;
            int best = 0;
            for (int j = 1; j < v; j++) {
                if (r.output().data()[last * v + j] > r.output().data()[last * v + best]) {
                    best = j;
                }
            }
            correct += best == q.answer() ? 1 : 0;
        }
        return (double) correct / questions.size();
    }

    @Test
    void qOfOneIsTheLastStepAndQOfZeroTheFirst() {
        ExitSweep sweep = ExitSweeps.qSweep(model, CpuKernels.shared(), questions, ExitSweeps.grid(5));
        assertEquals(STEPS, sweep.meanDepth()[4], 0);
        assertEquals(sweep.lastStepAccuracy(), sweep.accuracy()[4], 0);
        assertEquals(accuracyAt(RunOptions.defaults()), sweep.lastStepAccuracy(), 0);
        assertEquals(1, sweep.meanDepth()[0], 0);
        assertEquals(accuracyAt(RunOptions.defaults().withExitPolicy(ExitPolicy.fixedStep(0))), sweep.accuracy()[0], 0);
        for (int i = 1; i < 5; i++) {
            assertTrue(sweep.meanDepth()[i] >= sweep.meanDepth()[i - 1], "depth grows with q");
        }
        assertEquals(6, sweep.toCsv().split("\n").length);
    }
}
