package org.looplens.engine.train;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.looplens.engine.InvalidInputException;
import org.looplens.engine.data.TokenizerSettings;
import org.looplens.engine.data.Vocabulary;
import org.looplens.engine.io.AtomicFiles;
import org.looplens.engine.io.DType;
import org.looplens.engine.io.SafetensorsFile;
import org.looplens.engine.io.SafetensorsWriter;
import org.looplens.engine.model.Checkpoint;
import org.looplens.engine.model.LoopModel;
import org.looplens.engine.tensor.FloatTensor;

/**
 * The files of a training run. Resumable checkpoints live in {@code checkpoints/step-NNNNNNN/},
 * each written completely into a hidden temporary folder and then renamed into place, so a
 * checkpoint folder either exists whole or not at all, whatever moment the process dies. The
 * finished model goes to the run folder itself in the checkpoint layout, {@code training.json}
 * last. {@code metrics.jsonl} is appended as training goes and cut back to the checkpoint on resume.
 */
final class RunFolder {
    static final String TRAINING_FILE = "training.json";
    static final String OPTIMIZER_FILE = "optimizer.safetensors";
    static final String METRICS_LOG = "metrics.jsonl";
    static final String METRICS_FILE = "metrics.json";
    static final String TOKENIZER_FILE = "tokenizer.json";
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private static final ObjectMapper LINE = new ObjectMapper();

    private final Path dir;

    RunFolder(Path dir) {
        this.dir = dir;
    }

    Path dir() {
        return dir;
    }

    Path checkpoints() {
        return dir.resolve("checkpoints");
    }

    /**
     * Creates the folders and proves they can be written, so a read-only output folder is refused
     * before the first step rather than at the first checkpoint, minutes of training later.
     */
    void create() {
        try {
            Files.createDirectories(checkpoints());
        } catch (IOException e) {
            throw new InvalidInputException(dir.toString(), "cannot create the run folder: " + reason(e));
        }
        for (Path folder : List.of(dir, checkpoints())) {
            try {
                Files.delete(Files.createTempFile(folder, ".write-check", ".tmp"));
            } catch (IOException e) {
                throw new InvalidInputException(folder.toString(), "cannot write in the run folder: " + reason(e));
            }
        }
    }

    /** What the file system said, without the path Java puts in front (the message names it already). */
    private static String reason(IOException e) {
        if (e instanceof java.nio.file.FileSystemException fse && fse.getReason() != null) {
            return fse.getReason();
        }
        if (e instanceof java.nio.file.AccessDeniedException) {
            return "Permission denied";
        }
        return String.valueOf(e.getMessage());
    }

    /** The state of a finished run in this folder, if any. */
    Optional<TrainingState> finished() {
        Path f = dir.resolve(TRAINING_FILE);
        if (!Files.isRegularFile(f)) {
            return Optional.empty();
        }
        TrainingState s = readState(f);
        return s.complete() ? Optional.of(s) : Optional.empty();
    }

    /** The newest complete checkpoint folder, if any. */
    Optional<Path> latestCheckpoint() {
        if (!Files.isDirectory(checkpoints())) {
            return Optional.empty();
        }
        try (Stream<Path> s = Files.list(checkpoints())) {
            return s.filter(p -> p.getFileName().toString().startsWith("step-"))
                    .filter(p -> Files.isRegularFile(p.resolve(TRAINING_FILE)))
                    .max(Comparator.comparing(p -> p.getFileName().toString()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    TrainingState readState(Path trainingJson) {
        try {
            return LINE.readValue(trainingJson.toFile(), TrainingState.class);
        } catch (IOException e) {
            throw new InvalidInputException(trainingJson.toString(), "unreadable training state: " + e.getMessage());
        }
    }

    Map<String, float[]> readOptimizer(Path checkpoint) {
        Map<String, float[]> out = new LinkedHashMap<>();
        try (SafetensorsFile f = SafetensorsFile.open(checkpoint.resolve(OPTIMIZER_FILE))) {
            for (String name : f.names()) {
                out.put(name, f.readFloats(name));
            }
        }
        return out;
    }

    /** Writes a resumable checkpoint of the current state and keeps only the newest {@code keep}. */
    Path saveCheckpoint(LoopModel model, AdamW optimizer, TrainingState state, Vocabulary vocabulary, int keep) {
        String name = String.format("step-%07d", state.globalStep());
        Path target = checkpoints().resolve(name);
        Path staging = checkpoints().resolve("." + name + ".tmp");
        try {
            deleteTree(staging);
            Files.createDirectories(staging);
            writeModelFiles(staging, model, optimizer, state, vocabulary);
            deleteTree(target);
            Files.move(staging, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException | UncheckedIOException e) {
            // A full disk or a file size limit: the user's to fix, so say it in one line, and say
            // which checkpoint a run started again will resume from.
            IOException cause = e instanceof UncheckedIOException u ? u.getCause() : (IOException) e;
            try {
                deleteTree(staging);
            } catch (IOException ignored) {
                // the next save clears it
            }
            throw new InvalidInputException(target.toString(), "cannot write the checkpoint (" + reason(cause) + "); "
                    + keptCheckpoint(), e);
        }
        prune(keep);
        return target;
    }

    /** Writes the finished model into the run folder itself, training.json last. */
    void saveFinal(LoopModel model, AdamW optimizer, TrainingState state, Vocabulary vocabulary, JsonNode metrics) {
        try {
            writeModelFiles(dir, model, optimizer, null, vocabulary);
            AtomicFiles.writeString(dir.resolve(METRICS_FILE), pretty(metrics));
            AtomicFiles.writeString(dir.resolve(TRAINING_FILE), pretty(LINE.valueToTree(state)));
        } catch (UncheckedIOException e) {
            // Without training.json the folder does not look finished, so a second run resumes.
            throw new InvalidInputException(dir.toString(), "cannot write the finished model (" + reason(e.getCause()) + "); "
                    + keptCheckpoint(), e);
        }
    }

    /** Which checkpoint a run started again would resume from, for a failed save's message (looked up only then). */
    private String keptCheckpoint() {
        return latestCheckpoint().map(p -> "the last complete checkpoint, " + p.getFileName() + ", is kept")
                .orElse("there is no earlier checkpoint");
    }

    private void writeModelFiles(Path into, LoopModel model, AdamW optimizer, TrainingState state, Vocabulary vocabulary) {
        Checkpoint.save(model, into, DType.F32);
        Map<String, FloatTensor> moments = new LinkedHashMap<>();
        optimizer.state().forEach((k, v) -> moments.put(k, new FloatTensor(v, v.length)));
        SafetensorsWriter.write(into.resolve(OPTIMIZER_FILE), moments, DType.F32, Map.of("format", "pt"));
        vocabulary.writeTokenizerJson(into.resolve(TOKENIZER_FILE));
        Vocabulary.writeGenerationConfig(into.resolve(TokenizerSettings.GENERATION_FILE));
        if (state != null) {
            AtomicFiles.writeString(into.resolve(TRAINING_FILE), pretty(LINE.valueToTree(state)));
        }
    }

    void appendMetrics(JsonNode line) {
        try {
            Files.writeString(dir.resolve(METRICS_LOG), LINE.writeValueAsString(line) + "\n", StandardCharsets.UTF_8,
                    StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot append to " + dir.resolve(METRICS_LOG), e);
        }
    }

    /** Keeps the metric lines up to {@code step} (the resumed checkpoint); drops later or torn lines. */
    void truncateMetrics(int step) {
        Path log = dir.resolve(METRICS_LOG);
        if (!Files.isRegularFile(log)) {
            return;
        }
        List<String> kept = new ArrayList<>();
        try {
            for (String line : Files.readAllLines(log, StandardCharsets.UTF_8)) {
                try {
                    JsonNode n = LINE.readTree(line);
                    if (n != null && n.path("step").asInt(Integer.MAX_VALUE) <= step) {
                        kept.add(line);
                    }
                } catch (IOException torn) {
                    // a line cut by a crash: dropped, it will be written again
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        AtomicFiles.writeString(log, kept.isEmpty() ? "" : String.join("\n", kept) + "\n");
    }

    private void prune(int keep) {
        try (Stream<Path> s = Files.list(checkpoints())) {
            List<Path> all = s.filter(p -> p.getFileName().toString().startsWith("step-"))
                    .sorted(Comparator.comparing(p -> p.getFileName().toString())).toList();
            for (int i = 0; i < all.size() - keep; i++) {
                deleteTree(all.get(i));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String pretty(JsonNode node) {
        try {
            return JSON.writeValueAsString(node) + "\n";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void deleteTree(Path p) throws IOException {
        if (!Files.exists(p)) {
            return;
        }
        try (Stream<Path> s = Files.walk(p)) {
            for (Path q : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(q);
            }
        }
    }
}
