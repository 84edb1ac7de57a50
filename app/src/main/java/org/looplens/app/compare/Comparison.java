package org.looplens.app.compare;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import org.looplens.engine.InvalidInputException;
import org.looplens.engine.data.Example;
import org.looplens.engine.data.Split;
import org.looplens.engine.data.Task;
import org.looplens.engine.data.TaskSpec;
import org.looplens.engine.kernels.Kernels;
import org.looplens.engine.model.Checkpoint;
import org.looplens.engine.model.LoopModel;
import org.looplens.engine.train.TrainingListener;

/**
 * Runs an experiment spec: gets every member a checkpoint (reused by spec hash, or trained and
 * resumable in {@code DIR/models/NAME}), measures each on the held-out split, and writes the
 * report. Cancelled while training, it stops with the member's checkpoint saved; the same command
 * again resumes there and does not retrain finished members.
 */
public final class Comparison {
    private final ExperimentSpec spec;
    private final Path outDir;
    private final Kernels kernels;
    private final CostModel cost;
    private final FaithfulnessSuite faithfulness;
    private final Consumer<String> notes;
    private final MemberTraining training;

    /**
     * @param listener      sees the training runs (progress line), may be null
     * @param notes         one line per stage of the work, for stderr
     */
    public Comparison(ExperimentSpec spec, Path outDir, Kernels kernels, CostModel cost, FaithfulnessSuite faithfulness,
                      TrainingListener listener, Consumer<String> notes) {
        this.spec = spec;
        this.outDir = outDir;
        this.kernels = kernels;
        this.cost = cost;
        this.faithfulness = faithfulness;
        this.notes = notes;
        this.training = new MemberTraining(outDir, kernels, listener, notes);
    }

    /** Stops after the current training step, saving a resumable checkpoint; safe from any thread. */
    public void cancel() {
        training.cancel();
    }

    /** The results, also written to DIR; empty when cancelled during training. */
    public Optional<ComparisonResult> run() {
        try {
            Files.createDirectories(outDir);
        } catch (IOException e) {
            throw new InvalidInputException(outDir.toString(), "cannot create the output folder: " + e.getMessage());
        }
        int n = spec.members().size();
        List<PreparedMember> prepared = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            notes.accept(String.format("[%d/%d] %s (%s)", i + 1, n, spec.members().get(i).name(),
                    spec.members().get(i).kind().jsonName()));
            Optional<PreparedMember> p = training.prepare(spec, i);
            if (p.isEmpty()) {
                notes.accept("cancelled; run the same command again to resume");
                return Optional.empty();
            }
            prepared.add(p.get());
        }
        List<MemberResult> results = new ArrayList<>();
        List<FaithfulnessCurveRow> curves = new ArrayList<>();
        MemberMeasurement measurement = new MemberMeasurement(kernels, cost, spec.evaluation());
        for (PreparedMember p : prepared) {
            notes.accept("measuring " + p.member().name() + " on " + spec.evaluation().questions() + " held-out questions");
            TaskSpec taskSpec = p.spec().task();
            Task task = taskSpec.create(); // once per member: a text task reads its file
            List<Example> examples = task.batch(Split.TEST, 0, spec.evaluation().questions(), taskSpec.format());
            try (LoopModel model = Checkpoint.load(p.dir())) {
                results.add(measurement.measure(p, model, task, examples, outDir));
                curves.addAll(faithfulness.run(p.member(), task, model, kernels, examples,
                        spec.evaluation().bootstrap(), spec.evaluation().seed()));
            }
        }
        TaskSpec task = TaskSpec.fromJson(spec.task(), spec.source() + ": task", spec.baseDir());
        ComparisonResult result = new ComparisonResult(spec.name(), spec.task(), MemberMeasurement.trainedUpTo(task),
                cost.description(), "greedy answers one question at a time, after one untimed pass over the same "
                        + "questions; mean of " + spec.evaluation().timingQuestions() + " held-out questions, all loop "
                        + "steps run",
                List.copyOf(results), List.copyOf(curves), faithfulness == FaithfulnessSuite.NONE ? "none"
                        : faithfulness.getClass().getSimpleName());
        notes.accept("writing " + outDir.resolve(ComparisonReport.REPORT));
        ComparisonReport.write(outDir, result);
        return Optional.of(result);
    }
}
