package org.looplens.engine.train;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import org.looplens.engine.InvalidInputException;
import org.looplens.engine.io.JsonFiles;
import org.looplens.engine.data.TaskSpec;

/**
 * Reads a training spec file, fills defaults and checks every field, with one-line errors that
 * name the file and the field path (for example {@code phases[1].objective.kind}).
 */
public final class TrainingSpecReader {
    private static final ObjectMapper STRICT = new ObjectMapper()
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(com.fasterxml.jackson.core.JsonParser.Feature.STRICT_DUPLICATE_DETECTION);

    private TrainingSpecReader() {}

    /** A spec with its source file; relative paths in it resolve against the file's folder. */
    public record Loaded(TrainingSpec spec, TaskSpec task, Path baseDir, String source, String hash) {}

    public static Loaded read(Path file) {
        return fromJson(JsonFiles.tree(file, STRICT), file.toString(), file.toAbsolutePath().getParent());
    }

    /**
     * The spec a checkpoint was trained with, from the {@code spec} field of its
     * {@code training.json}; empty when the folder has none (e.g. a Hugging Face checkpoint).
     */
    public static java.util.Optional<Loaded> ofCheckpoint(Path dir) {
        Path file = dir.resolve("training.json");
        if (!Files.isRegularFile(file)) {
            return java.util.Optional.empty();
        }
        JsonNode root = JsonFiles.tree(file, STRICT);
        JsonNode spec = root == null ? null : root.get("spec");
        if (spec == null || !spec.isObject()) {
            throw new InvalidInputException(file + ": spec", "missing: the file holds no training spec");
        }
        return java.util.Optional.of(fromJson(spec, file + ": spec", dir.toAbsolutePath()));
    }

    public static Loaded fromJson(JsonNode root, String source, Path baseDir) {
        if (root == null || !root.isObject()) {
            throw new InvalidInputException(source, "expected a JSON object at the top level");
        }
        ObjectNode filled = withDefaults((ObjectNode) root.deepCopy());
        TrainingSpec spec;
        try {
            spec = STRICT.treeToValue(filled, TrainingSpec.class);
        } catch (UnrecognizedPropertyException e) {
            throw new InvalidInputException(source, "unknown field '" + path(e) + "'"
                    + " (known here: " + e.getKnownPropertyIds() + ")");
        } catch (JsonMappingException e) {
            throw new InvalidInputException(source, "field '" + path(e) + "' has the wrong type or value ("
                    + e.getOriginalMessage().lines().findFirst().orElse("") + ")");
        } catch (JsonProcessingException e) {
            throw new InvalidInputException(source, "cannot read the spec (" + e.getOriginalMessage() + ")");
        }
        validate(spec, source);
        TaskSpec task = TaskSpec.fromJson(spec.task(), source + ": task", baseDir);
        return new Loaded(spec, task, baseDir, source, hash(filled));
    }

    private static ObjectNode withDefaults(ObjectNode root) {
        putIfAbsent(root, "name", "run");
        putIfAbsent(root, "clip", 1.0);
        putIfAbsent(root, "seed", 0);
        putIfAbsent(root, "logEvery", 10);
        ObjectNode batch = object(root, "batch");
        putIfAbsent(batch, "size", 32);
        putIfAbsent(batch, "accumulate", 1);
        ObjectNode eval = object(root, "eval");
        putIfAbsent(eval, "every", 0);
        putIfAbsent(eval, "examples", 512);
        ObjectNode ckpt = object(root, "checkpoint");
        putIfAbsent(ckpt, "every", 0);
        putIfAbsent(ckpt, "keep", 2);
        JsonNode phases = root.get("phases");
        if (phases != null && phases.isArray()) {
            for (JsonNode p : phases) {
                if (p.isObject()) {
                    ObjectNode phase = (ObjectNode) p;
                    putIfAbsent(phase, "lr", 1e-3);
                    putIfAbsent(phase, "warmup", 0);
                    putIfAbsent(phase, "schedule", "cosine");
                    putIfAbsent(phase, "minLrRatio", 0.1);
                    putIfAbsent(phase, "weightDecay", 0.1);
                }
            }
        }
        return root;
    }

    private static ObjectNode object(ObjectNode parent, String field) {
        JsonNode n = parent.get(field);
        if (n == null || n.isNull()) {
            return parent.putObject(field);
        }
        return n.isObject() ? (ObjectNode) n : parent.objectNode(); // wrong types are reported by the mapper
    }

    private static void putIfAbsent(ObjectNode n, String field, Object value) {
        if (!n.has(field) || n.get(field).isNull()) {
            n.set(field, STRICT.valueToTree(value));
        }
    }

    private static void validate(TrainingSpec s, String source) {
        if (s.model() == null || (s.model().config() == null) == (s.model().init() == null)) {
            throw new InvalidInputException(source, "field 'model' needs exactly one of 'config' or 'init'");
        }
        if (s.task() == null) {
            throw new InvalidInputException(source, "missing required field 'task'");
        }
        if (s.phases() == null || s.phases().isEmpty()) {
            throw new InvalidInputException(source, "field 'phases' must list at least one phase");
        }
        for (int i = 0; i < s.phases().size(); i++) {
            validatePhase(s.phases().get(i), source, "phases[" + i + "]");
        }
        positive(source, "batch.size", s.batch().size());
        positive(source, "batch.accumulate", s.batch().accumulate());
        positive(source, "logEvery", s.logEvery());
        nonNegative(source, "eval.every", s.eval().every());
        positive(source, "eval.examples", s.eval().examples());
        nonNegative(source, "checkpoint.every", s.checkpoint().every());
        positive(source, "checkpoint.keep", s.checkpoint().keep());
        if (!(s.clip() >= 0) || Double.isInfinite(s.clip())) {
            throw new InvalidInputException(source, "field 'clip' must be ≥ 0, got " + s.clip());
        }
    }

    private static void validatePhase(TrainingSpec.PhaseSpec p, String source, String at) {
        if (p == null) {
            throw new InvalidInputException(source, "field '" + at + "' must be an object");
        }
        TrainingSpec.ObjectiveSpec o = p.objective();
        if (o == null || o.kind() == null) {
            throw new InvalidInputException(source, "missing required field '" + at + ".objective.kind'");
        }
        Set<String> allowed = switch (o.kind()) {
            case "stage1" -> Set.of("beta", "priorLambda");
            case "stage2" -> Set.of("k", "gamma");
            case "ce" -> Set.of();
            default -> throw new InvalidInputException(source, "field '" + at + ".objective.kind' must be stage1, "
                    + "stage2 or ce, got '" + o.kind() + "'");
        };
        for (var f : List.of(new Object[] {"beta", o.beta()}, new Object[] {"priorLambda", o.priorLambda()},
                new Object[] {"k", o.k()}, new Object[] {"gamma", o.gamma()})) {
            if (f[1] != null && !allowed.contains((String) f[0])) {
                throw new InvalidInputException(source, "field '" + at + ".objective." + f[0]
                        + "' does not apply to objective '" + o.kind() + "'");
            }
        }
        if (o.priorLambda() != null && !(o.priorLambda() > 0 && o.priorLambda() < 1)) {
            throw new InvalidInputException(source, "field '" + at + ".objective.priorLambda' must lie in (0, 1)");
        }
        if (o.beta() != null && !(o.beta() >= 0)) {
            throw new InvalidInputException(source, "field '" + at + ".objective.beta' must be ≥ 0");
        }
        positive(source, at + ".steps", p.steps());
        if (!(p.lr() > 0) || Double.isInfinite(p.lr())) {
            throw new InvalidInputException(source, "field '" + at + ".lr' must be a positive number, got " + p.lr());
        }
        nonNegative(source, at + ".warmup", p.warmup());
        if (!p.schedule().equals("cosine") && !p.schedule().equals("constant")) {
            throw new InvalidInputException(source, "field '" + at + ".schedule' must be cosine or constant, got '"
                    + p.schedule() + "'");
        }
        if (!(p.minLrRatio() >= 0 && p.minLrRatio() <= 1)) {
            throw new InvalidInputException(source, "field '" + at + ".minLrRatio' must lie in [0, 1]");
        }
        if (!(p.weightDecay() >= 0) || Double.isInfinite(p.weightDecay())) {
            throw new InvalidInputException(source, "field '" + at + ".weightDecay' must be ≥ 0");
        }
    }

    private static void positive(String source, String field, long v) {
        if (v < 1) {
            throw new InvalidInputException(source, "field '" + field + "' must be positive, got " + v);
        }
    }

    private static void nonNegative(String source, String field, long v) {
        if (v < 0) {
            throw new InvalidInputException(source, "field '" + field + "' must be ≥ 0, got " + v);
        }
    }

    private static String path(JsonMappingException e) {
        StringBuilder sb = new StringBuilder();
        for (JsonMappingException.Reference r : e.getPath()) {
            if (r.getFieldName() != null) {
                sb.append(sb.isEmpty() ? "" : ".").append(r.getFieldName());
            } else if (r.getIndex() >= 0) {
                sb.append('[').append(r.getIndex()).append(']');
            }
        }
        return sb.toString();
    }

    /** SHA-256 of the spec with defaults filled and keys sorted: same spec, same hash. */
    static String hash(JsonNode filled) {
        try {
            ObjectMapper sorted = new ObjectMapper()
                    .configure(com.fasterxml.jackson.databind.SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS, true);
            Object canonical = sorted.treeToValue(filled, Object.class);
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(sorted.writeValueAsBytes(canonical));
            return HexFormat.of().formatHex(digest);
        } catch (JsonProcessingException | NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
