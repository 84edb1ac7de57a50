package org.looplens.app.compare;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.function.Consumer;
import org.looplens.engine.InvalidInputException;
import org.looplens.engine.io.AtomicFiles;
import org.looplens.engine.kernels.Kernels;
import org.looplens.engine.train.Trainer;
import org.looplens.engine.train.TrainingListener;
import org.looplens.engine.train.TrainingOutcome;
import org.looplens.engine.train.TrainingSpecReader;

/**
 * Gets each member a finished checkpoint: its named checkpoint when that folder's
 * {@code training.json} records exactly the member's spec hash, otherwise a run of the existing
 * {@link Trainer} in {@code DIR/models/NAME}, which resumes an interrupted run and reports a
 * finished one as complete without training again.
 */
final class MemberTraining {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private final Path outDir;
    private final Kernels kernels;
    private final TrainingListener listener;
    private final Consumer<String> notes;
    private volatile Trainer current;
    private volatile boolean cancelled;

    MemberTraining(Path outDir, Kernels kernels, TrainingListener listener, Consumer<String> notes) {
        this.outDir = outDir;
        this.kernels = kernels;
        this.listener = listener == null ? TrainingListener.NONE : listener;
        this.notes = notes;
    }

    /** Stops the member being trained after its current step (it saves a resumable checkpoint) and trains no other. */
    void cancel() {
        cancelled = true;
        Trainer t = current;
        if (t != null) {
            t.cancel();
        }
    }

    /** The member's checkpoint, or empty when training was cancelled. */
    Optional<PreparedMember> prepare(ExperimentSpec spec, int index) {
        ExperimentSpec.Member m = spec.members().get(index);
        TrainingSpecReader.Loaded loaded = MemberSpecs.load(spec, m, index);
        if (m.checkpoint() != null) {
            Optional<String> hash = finishedHash(m.checkpoint());
            if (hash.isPresent() && hash.get().equals(loaded.hash())) {
                notes.accept(m.name() + ": reusing " + m.checkpoint() + " (same spec hash)");
                return Optional.of(new PreparedMember(m, loaded, m.checkpoint(), PreparedMember.Provenance.REUSED));
            }
            notes.accept(m.name() + ": not reusing " + m.checkpoint() + " (" + (hash.isEmpty() ? "no finished run there"
                    : "its spec differs: hash " + hash.get().substring(0, 12) + " ≠ " + loaded.hash().substring(0, 12))
                    + "); training into " + modelDir(m));
        }
        Path dir = modelDir(m);
        writeSpec(m, MemberSpecs.json(spec, m));
        if (finishedHash(dir).filter(loaded.hash()::equals).isPresent()) {
            notes.accept(m.name() + ": already trained in " + dir);
            return Optional.of(new PreparedMember(m, loaded, dir, PreparedMember.Provenance.ALREADY_TRAINED));
        }
        if (cancelled) {
            return Optional.empty();
        }
        boolean resuming = Files.isDirectory(dir.resolve("checkpoints"));
        Trainer trainer = new Trainer(loaded, dir, kernels, listener);
        current = trainer;
        if (cancelled) {
            trainer.cancel();
        }
        TrainingOutcome outcome;
        try {
            outcome = trainer.run();
        } finally {
            current = null;
        }
        return switch (outcome.status()) {
            case FINISHED -> Optional.of(new PreparedMember(m, loaded, dir,
                    resuming ? PreparedMember.Provenance.RESUMED : PreparedMember.Provenance.TRAINED));
            case ALREADY_COMPLETE -> Optional.of(new PreparedMember(m, loaded, dir, PreparedMember.Provenance.ALREADY_TRAINED));
            case CANCELLED -> Optional.empty();
            case DIVERGED -> throw new InvalidInputException(dir.toString(), m.name() + ": " + outcome.message());
        };
    }

    Path modelDir(ExperimentSpec.Member m) {
        return outDir.resolve("models").resolve(m.name());
    }

    /** The derived spec beside the run, so {@code looplens train} can reproduce the member on its own. */
    private void writeSpec(ExperimentSpec.Member m, JsonNode json) {
        try {
            Files.createDirectories(outDir.resolve("specs"));
            AtomicFiles.writeString(outDir.resolve("specs").resolve(m.name() + ".json"), JSON.writeValueAsString(json) + "\n");
        } catch (IOException e) {
            throw new InvalidInputException(outDir.toString(), "cannot write " + m.name() + "'s spec: " + e.getMessage());
        }
    }

    /** The spec hash of a finished run in {@code dir}, from its training.json; empty when there is none. */
    static Optional<String> finishedHash(Path dir) {
        Path file = dir.resolve("training.json");
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        JsonNode state;
        try {
            state = JSON.readTree(file.toFile());
        } catch (IOException e) {
            throw new InvalidInputException(file.toString(), "cannot read the training state: " + e.getMessage());
        }
        if (state == null || !state.path("complete").asBoolean(false) || !state.path("specHash").isTextual()) {
            return Optional.empty();
        }
        return Optional.of(state.get("specHash").asText());
    }
}
