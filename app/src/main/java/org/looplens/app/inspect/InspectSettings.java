package org.looplens.app.inspect;

import org.looplens.analyses.lens.StepLens;
import org.looplens.engine.run.ExitPolicy;
import org.looplens.engine.run.RunOptions;

/**
 * The inspector's controls: loop steps (0: the trained T; more is extrapolation), the exit
 * policy, how many predictions to keep per step, a target token whose probability and rank the
 * lens follows ({@link StepLens#NO_TARGET}: none), and the memory the run may hold (0: the free
 * heap; step logits beyond it spill to disk, see {@link RunOptions#memoryBudget()}).
 */
public record InspectSettings(int steps, ExitPolicy exitPolicy, int topK, int target, long memoryBudget) {
    public InspectSettings(int steps, ExitPolicy exitPolicy, int topK) {
        this(steps, exitPolicy, topK, StepLens.NO_TARGET);
    }

    public InspectSettings(int steps, ExitPolicy exitPolicy, int topK, int target) {
        this(steps, exitPolicy, topK, target, 0);
    }

    public InspectSettings {
        if (steps < 0) {
            throw new IllegalArgumentException("steps must be ≥ 0 (0: the trained T), got " + steps);
        }
        if (topK < 1) {
            throw new IllegalArgumentException("top-k must be ≥ 1, got " + topK);
        }
        if (memoryBudget < 0) {
            throw new IllegalArgumentException("memory budget must be ≥ 0 (0: the free heap), got " + memoryBudget);
        }
        exitPolicy = exitPolicy == null ? ExitPolicy.lastStep() : exitPolicy;
    }

    public static InspectSettings defaults() {
        return new InspectSettings(0, ExitPolicy.lastStep(), 5);
    }

    /** The run options these settings stand for. */
    public RunOptions runOptions() {
        RunOptions o = RunOptions.defaults().withExitPolicy(exitPolicy).withMemoryBudget(memoryBudget);
        return steps == 0 ? o : o.withSteps(steps);
    }
}
