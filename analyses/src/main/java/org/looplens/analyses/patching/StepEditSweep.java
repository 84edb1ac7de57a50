package org.looplens.analyses.patching;

import java.util.List;
import org.looplens.engine.kernels.Kernels;
import org.looplens.engine.model.LoopModel;
import org.looplens.engine.run.LoopRunner;
import org.looplens.engine.run.RunOptions;
import org.looplens.engine.run.RunResult;
import org.looplens.engine.run.StepEdit;

/** Skips, then repeats, every loop step of one input in turn and measures the answer. */
public final class StepEditSweep {
    private StepEditSweep() {}

    public static StepEditEffects of(LoopModel model, Kernels kernels, int[] input, LogitDifference metric,
                                     RunOptions options) {
        long start = System.nanoTime();
        LoopRunner runner = new LoopRunner(model, kernels);
        RunResult base = runner.forward(input, options);
        int steps = base.steps();
        double[] skipDiff = new double[steps];
        double[] skipProb = new double[steps];
        double[] repeatDiff = new double[steps];
        double[] repeatProb = new double[steps];
        for (int t = 0; t < steps; t++) {
            RunResult skip = runner.forward(input, options.withStepEdits(List.of(StepEdit.skip(t))));
            skipDiff[t] = metric.of(skip);
            skipProb[t] = metric.targetProbability(skip);
            RunResult repeat = runner.forward(input, options.withStepEdits(List.of(StepEdit.repeat(t))));
            repeatDiff[t] = metric.of(repeat);
            repeatProb[t] = metric.targetProbability(repeat);
        }
        return new StepEditEffects(metric, metric.of(base), metric.targetProbability(base), skipDiff, skipProb,
                repeatDiff, repeatProb, (System.nanoTime() - start) / 1e9);
    }
}
