package org.looplens.engine.run;

import java.nio.file.Path;
import java.util.List;
import org.looplens.engine.InvalidInputException;
import org.looplens.engine.trace.CaptureBuffers;
import org.looplens.engine.trace.CapturePlan;
import org.looplens.engine.trace.Intervention;

/**
 * How to run a model: the number of loop steps (0 = the trained {@code total_ut_steps}; more is
 * extrapolation), the exit policy, what to capture and which interventions to apply, and
 * optionally the buffers captures are copied into ({@code null}: fresh arrays for every run),
 * steps to skip or repeat ({@link StepEdit}), and a point to resume a full forward from
 * ({@link ResumePoint}; {@code null}: start at the embedding). Step edits and resume points apply
 * to a full forward of one sequence, not to decoding or training. {@code memoryBudget} is the
 * most bytes a run may need (its buffers and captures, estimated before it starts); 0 means the
 * JVM's maximum heap. Captured activations that would not fit it are written to a memory-mapped
 * file in {@code spillDirectory} ({@code null}: the system's temporary folder) instead.
 */
public record RunOptions(int steps, ExitPolicy exitPolicy, CapturePlan capture, List<Intervention> interventions,
                         CaptureBuffers captureBuffers, List<StepEdit> stepEdits, ResumePoint resume,
                         long memoryBudget, Path spillDirectory) {

    public RunOptions {
        if (steps < 0) {
            throw new InvalidInputException("options", "steps must be at least 1, got " + steps);
        }
        if (memoryBudget < 0) {
            throw new InvalidInputException("options", "memory budget must be positive (or 0 for the heap), got "
                    + memoryBudget);
        }
        spillDirectory = spillDirectory == null ? Path.of(System.getProperty("java.io.tmpdir")) : spillDirectory;
        exitPolicy = exitPolicy == null ? ExitPolicy.lastStep() : exitPolicy;
        capture = capture == null ? CapturePlan.none() : capture;
        interventions = interventions == null ? List.of() : List.copyOf(interventions);
        stepEdits = stepEdits == null ? List.of() : List.copyOf(stepEdits);
        if (stepEdits.stream().map(StepEdit::step).distinct().count() != stepEdits.size()) {
            throw new InvalidInputException("options", "at most one skip or repeat per step, got " + stepEdits);
        }
        if (resume != null && stepEdits.stream().anyMatch(e -> e.step() <= resume.step())) {
            throw new InvalidInputException("options", "a step edit at or before the resume step " + resume.step()
                    + " would not be seen by the resumed run: " + stepEdits);
        }
        switch (exitPolicy) {
            case ExitPolicy.QExit q when !(q.q() >= 0 && q.q() <= 1) ->
                    throw new InvalidInputException("options", "exit threshold q must lie in [0, 1], got " + q.q());
            case ExitPolicy.FixedStep f when f.step() < 0 ->
                    throw new InvalidInputException("options", "exit step must be ≥ 0, got " + f.step());
            default -> { }
        }
    }

    public RunOptions(int steps, ExitPolicy exitPolicy, CapturePlan capture, List<Intervention> interventions) {
        this(steps, exitPolicy, capture, interventions, null, List.of(), null, 0, null);
    }

    /** The trained number of steps, last-step output, no capture, no interventions. */
    public static RunOptions defaults() {
        return new RunOptions(0, ExitPolicy.lastStep(), CapturePlan.none(), List.of());
    }

    public RunOptions withSteps(int newSteps) {
        if (newSteps < 1) {
            throw new InvalidInputException("options", "steps must be at least 1, got " + newSteps);
        }
        return new RunOptions(newSteps, exitPolicy, capture, interventions, captureBuffers, stepEdits, resume,
                memoryBudget, spillDirectory);
    }

    public RunOptions withExitPolicy(ExitPolicy policy) {
        return new RunOptions(steps, policy, capture, interventions, captureBuffers, stepEdits, resume,
                memoryBudget, spillDirectory);
    }

    public RunOptions withCapture(CapturePlan plan) {
        return new RunOptions(steps, exitPolicy, plan, interventions, captureBuffers, stepEdits, resume,
                memoryBudget, spillDirectory);
    }

    public RunOptions withInterventions(List<Intervention> list) {
        return new RunOptions(steps, exitPolicy, capture, list, captureBuffers, stepEdits, resume,
                memoryBudget, spillDirectory);
    }

    /**
     * Copies captures into these reused buffers instead of fresh arrays: for repeated runs over
     * inputs of one shape (a benchmark, a sweep) that read each trace before the next run.
     */
    public RunOptions withCaptureBuffers(CaptureBuffers buffers) {
        return new RunOptions(steps, exitPolicy, capture, interventions, buffers, stepEdits, resume,
                memoryBudget, spillDirectory);
    }

    /** Skips or repeats these steps (each step at most once). */
    public RunOptions withStepEdits(List<StepEdit> edits) {
        return new RunOptions(steps, exitPolicy, capture, interventions, captureBuffers, edits, resume,
                memoryBudget, spillDirectory);
    }

    /** Starts the full forward at this point instead of the embedding ({@code null}: from the start). */
    public RunOptions withResume(ResumePoint point) {
        return new RunOptions(steps, exitPolicy, capture, interventions, captureBuffers, stepEdits, point,
                memoryBudget, spillDirectory);
    }

    /**
     * Keeps a full forward within {@code bytes} (0: the JVM's maximum heap): a run whose buffers
     * alone need more is refused before it starts; captures beyond it spill to disk.
     */
    public RunOptions withMemoryBudget(long bytes) {
        return new RunOptions(steps, exitPolicy, capture, interventions, captureBuffers, stepEdits, resume, bytes,
                spillDirectory);
    }

    /** The folder captures spill to when they do not fit the budget. */
    public RunOptions withSpillDirectory(Path directory) {
        return new RunOptions(steps, exitPolicy, capture, interventions, captureBuffers, stepEdits, resume,
                memoryBudget, directory);
    }

    /** The steps to run for a model trained with {@code trainedSteps}. */
    public int resolveSteps(int trainedSteps) {
        return steps == 0 ? trainedSteps : steps;
    }
}
