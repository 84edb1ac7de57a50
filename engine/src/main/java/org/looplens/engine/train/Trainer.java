package org.looplens.engine.train;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.looplens.engine.InvalidInputException;
import org.looplens.engine.config.LoopConfig;
import org.looplens.engine.data.Example;
import org.looplens.engine.data.Format;
import org.looplens.engine.data.Split;
import org.looplens.engine.data.Task;
import org.looplens.engine.data.TaskSpec;
import org.looplens.engine.kernels.Kernels;
import org.looplens.engine.model.Checkpoint;
import org.looplens.engine.model.LoopModel;
import org.looplens.engine.model.RandomInit;

/**
 * Runs a training spec in a run folder: phases of optimiser steps with live metrics, validation,
 * atomic checkpoints, and exact resumption. Started again on the same folder with the same spec,
 * it continues from the newest checkpoint and reaches bit for bit the weights an uninterrupted
 * run would; a non-finite loss or gradient stops it with the last good checkpoint kept.
 */
public final class Trainer {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final TrainingSpecReader.Loaded loaded;
    private final TrainingSpec spec;
    private final RunFolder folder;
    private final Kernels kernels;
    private final TrainingListener listener;
    private volatile boolean cancelRequested;

    public Trainer(TrainingSpecReader.Loaded loaded, Path runDir, Kernels kernels, TrainingListener listener) {
        this.loaded = loaded;
        this.spec = loaded.spec();
        this.folder = new RunFolder(runDir);
        this.kernels = kernels;
        this.listener = listener == null ? TrainingListener.NONE : listener;
    }

    /** Asks the run to stop after the current optimiser step; it saves a resumable checkpoint. */
    public void cancel() {
        cancelRequested = true;
    }

    public TrainingOutcome run() {
        Optional<TrainingState> done = folder.finished();
        if (done.isPresent()) {
            requireSameSpec(done.get(), folder.dir().resolve(RunFolder.TRAINING_FILE));
            TrainingOutcome o = new TrainingOutcome(TrainingOutcome.Status.ALREADY_COMPLETE, done.get().globalStep(),
                    folder.dir(), "already trained with this spec: " + folder.dir(), null);
            listener.finished(o);
            return o;
        }
        TaskSpec taskSpec = loaded.task();
        Task task = taskSpec.create(loaded.source() + ": task");
        Format format = taskSpec.format();

        LoopModel model;
        AdamW optimizer = AdamW.defaults();
        TrainingState state;
        Optional<Path> resume = folder.latestCheckpoint();
        if (resume.isPresent()) {
            state = folder.readState(resume.get().resolve(RunFolder.TRAINING_FILE));
            requireSameSpec(state, resume.get());
            model = Checkpoint.load(resume.get());
        } else {
            model = initialModel(task);
            state = new TrainingState(loaded.hash(), specJson(), 0, 0, 0, 0, 0, false, null);
        }
        requireContext(model, task.maxLength(format));
        TrainStep trainStep = new TrainStep(model, kernels);
        if (resume.isPresent()) {
            optimizer.restore(folder.readOptimizer(resume.get()), state.optimizerUpdates(), trainStep.parameters(),
                    resume.get().resolve(RunFolder.OPTIMIZER_FILE).toString());
        }
        folder.create();
        folder.truncateMetrics(state.globalStep());
        listener.started(spec.name(), state.globalStep(), spec.totalSteps());

        long startNanos = System.nanoTime();
        int startStep = state.globalStep();
        long windowStart = System.nanoTime();
        int steps = model.config().totalUtSteps();
        for (int p = state.phase(); p < spec.phases().size(); p++) {
            TrainingSpec.PhaseSpec phase = spec.phases().get(p);
            if (p != state.phase()) {
                optimizer = AdamW.defaults();
                state = new TrainingState(state.specHash(), state.spec(), state.globalStep(), p, 0, state.cursor(), 0, false,
                        state.window());
            }
            Objective objective = phase.objective().create();
            LearningRateSchedule schedule = new LearningRateSchedule(phase.lr(), phase.warmup(), phase.steps(),
                    phase.minLrRatio(), phase.schedule().equals("cosine"));
            while (state.phaseStep() < phase.steps()) {
                long cursor = state.cursor();
                List<Batch> microBatches = new ArrayList<>();
                for (int a = 0; a < spec.batch().accumulate(); a++) {
                    microBatches.add(toBatch(task.batch(Split.TRAIN, cursor, spec.batch().size(), format)));
                    cursor += spec.batch().size();
                }
                double lr = schedule.at(state.phaseStep());
                TrainStep.Result step = trainStep.run(microBatches, objective, optimizer, lr, phase.weightDecay(),
                        spec.clip());
                if (!step.updated()) {
                    return diverged(state, step.report(), step.gradNorm());
                }
                MetricsWindow sums = (state.window() == null ? MetricsWindow.empty(steps) : state.window())
                        .plus(step.report(), step.gradNorm(), step.tokens());
                state = new TrainingState(state.specHash(), state.spec(), state.globalStep() + 1, p,
                        state.phaseStep() + 1, cursor, optimizer.updates(), false, sums);

                int g = state.globalStep();
                if (g % spec.logEvery() == 0 || state.phaseStep() == phase.steps()) {
                    double elapsed = (System.nanoTime() - startNanos) / 1e9;
                    double eta = elapsed / Math.max(1, g - startStep) * (spec.totalSteps() - g);
                    double seconds = (System.nanoTime() - windowStart) / 1e9;
                    MetricsRecord rec = state.window().record(g, p, lr, seconds, elapsed, eta);
                    windowStart = System.nanoTime();
                    state = new TrainingState(state.specHash(), state.spec(), g, p, state.phaseStep(), state.cursor(),
                            state.optimizerUpdates(), false, null);
                    folder.appendMetrics(JSON.valueToTree(rec));
                    listener.logged(rec);
                }
                if (spec.eval().every() > 0 && g % spec.eval().every() == 0) {
                    Evaluation ev = new Evaluator(model, kernels).evaluate(task, format, Split.VALIDATION,
                            spec.eval().examples());
                    ObjectNode line = JSON.createObjectNode();
                    line.put("step", g);
                    line.set("validation", JSON.valueToTree(ev));
                    folder.appendMetrics(line);
                    listener.evaluated(g, ev);
                }
                boolean periodic = spec.checkpoint().every() > 0 && g % spec.checkpoint().every() == 0;
                if (periodic || cancelRequested) {
                    Path saved = folder.saveCheckpoint(model, optimizer, state, task.vocabulary(), spec.checkpoint().keep());
                    listener.checkpointed(g, saved);
                }
                if (cancelRequested) {
                    TrainingOutcome o = new TrainingOutcome(TrainingOutcome.Status.CANCELLED, g, folder.dir(),
                            "cancelled at step " + g + "; run the same command again to resume", null);
                    listener.finished(o);
                    return o;
                }
            }
        }
        Evaluation test = new Evaluator(model, kernels).evaluate(task, format, Split.TEST, spec.eval().examples());
        TrainingState finished = new TrainingState(state.specHash(), state.spec(), state.globalStep(),
                spec.phases().size(), 0, state.cursor(), optimizer.updates(), true, null);
        folder.saveFinal(model, optimizer, finished, task.vocabulary(), metricsJson(model, taskSpec, test, state));
        TrainingOutcome o = new TrainingOutcome(TrainingOutcome.Status.FINISHED, state.globalStep(), folder.dir(),
                String.format("finished %d steps; held-out accuracy %.3f", state.globalStep(), test.accuracy()), test);
        listener.finished(o);
        return o;
    }

    private LoopModel initialModel(Task task) {
        String source = loaded.source();
        int vocab = task.vocabulary().size();
        if (spec.model().init() != null) {
            LoopModel m = Checkpoint.load(loaded.baseDir().resolve(spec.model().init()));
            if (m.config().vocabSize() != vocab) {
                throw new InvalidInputException(source, "model.init has vocab_size " + m.config().vocabSize()
                        + " but the task's vocabulary has " + vocab + " tokens");
            }
            return m;
        }
        ObjectNode config = spec.model().config().deepCopy();
        if (!config.has("vocab_size")) {
            config.put("vocab_size", vocab);
        } else if (config.get("vocab_size").asInt() != vocab) {
            throw new InvalidInputException(source, "model.config.vocab_size is " + config.get("vocab_size")
                    + " but the task's vocabulary has " + vocab + " tokens (leave vocab_size out to use it)");
        }
        LoopConfig c = LoopConfig.fromJson(config, source + ": model.config");
        return RandomInit.create(c, spec.seed());
    }

    /** Refuses, before anything is written, a model too short for the task's longest example. */
    private void requireContext(LoopModel model, int longest) {
        int context = model.config().maxPositionEmbeddings();
        if (longest > context) {
            throw new InvalidInputException(loaded.source(), "model.config.max_position_embeddings " + context
                    + " is shorter than the task's longest sequence (" + longest + " tokens)");
        }
    }

    private JsonNode specJson() {
        return JSON.valueToTree(spec);
    }

    private void requireSameSpec(TrainingState state, Path where) {
        if (!state.specHash().equals(loaded.hash())) {
            throw new InvalidInputException(folder.dir().toString(), "holds a run of a different spec (" + where
                    + "); use another output folder or the original spec");
        }
    }

    private TrainingOutcome diverged(TrainingState state, LossReport report, double gradNorm) {
        String last = folder.latestCheckpoint().map(Path::toString).orElse("none yet");
        TrainingOutcome o = new TrainingOutcome(TrainingOutcome.Status.DIVERGED, state.globalStep(), folder.dir(),
                String.format("training stopped at step %d: %s (loss %s, gradient norm %s); last good checkpoint: %s",
                        state.globalStep() + 1, report.finite() ? "non-finite gradient" : "non-finite loss",
                        report.loss(), gradNorm, last), null);
        listener.finished(o);
        return o;
    }

    private static Batch toBatch(List<Example> examples) {
        List<int[]> tokens = new ArrayList<>(examples.size());
        List<boolean[]> masks = new ArrayList<>(examples.size());
        for (Example e : examples) {
            tokens.add(e.tokens());
            masks.add(e.lossMask());
        }
        return Batch.of(tokens, masks);
    }

    private JsonNode metricsJson(LoopModel model, TaskSpec taskSpec, Evaluation test, TrainingState state) {
        ObjectNode root = JSON.createObjectNode();
        root.put("name", spec.name());
        root.set("task", JSON.valueToTree(taskSpec));
        root.put("format", taskSpec.format().name().toLowerCase());
        root.put("parameters", model.config().parameterCount());
        root.put("loopSteps", model.config().totalUtSteps());
        root.put("trainingSteps", state.globalStep());
        root.put("trainingExamples", state.cursor());
        root.set("test", JSON.valueToTree(test));
        return root;
    }
}
