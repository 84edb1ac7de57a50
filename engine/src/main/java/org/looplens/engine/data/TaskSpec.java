package org.looplens.engine.data;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.type.LogicalType;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.looplens.engine.InvalidInputException;

/**
 * A task as written in a run spec, e.g.
 * <pre>
 *   {"kind": "multihop", "entities": 200, "relations": 8, "kTrain": 3, "kTest": 5, "seed": 1, "format": "cot"}
 *   {"kind": "modarith", "p": 7, "depthTrain": 3, "depthTest": 5}
 *   {"kind": "bio", "people": 1000}
 *   {"kind": "text", "file": "corpus.txt", "chunkLength": 256}
 * </pre>
 * Fields: {@code kind} (required); {@code format} ("direct", default, or "cot"); {@code seed}
 * (default 0). multihop: {@code entities}, {@code relations}, {@code kTrain}, {@code kTest}
 * (required), {@code factFraction} (0.3), {@code heldOutFraction} (0.2). modarith: {@code p},
 * {@code depthTrain}, {@code depthTest} (required), {@code heldOutFraction} (0.2). bio:
 * {@code people}. text: {@code file}, {@code chunkLength} (required), {@code validationFraction}
 * and {@code testFraction} (0.05 each).
 *
 * <p>Unknown fields, fields of another kind and bad values are {@link InvalidInputException}s that
 * name the field: a typo in a spec must not silently train on defaults.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record TaskSpec(
        @JsonProperty("kind") String kind,
        @JsonProperty("format") Format format,
        @JsonProperty("seed") Long seed,
        @JsonProperty("entities") Integer entities,
        @JsonProperty("relations") Integer relations,
        @JsonProperty("kTrain") Integer kTrain,
        @JsonProperty("kTest") Integer kTest,
        @JsonProperty("factFraction") Double factFraction,
        @JsonProperty("heldOutFraction") Double heldOutFraction,
        @JsonProperty("p") Integer p,
        @JsonProperty("depthTrain") Integer depthTrain,
        @JsonProperty("depthTest") Integer depthTest,
        @JsonProperty("people") Integer people,
        @JsonProperty("file") String file,
        @JsonProperty("chunkLength") Integer chunkLength,
        @JsonProperty("validationFraction") Double validationFraction,
        @JsonProperty("testFraction") Double testFraction) {

    public static final double DEFAULT_FACT_FRACTION = 0.3;
    public static final double DEFAULT_HELD_OUT = 0.2;
    public static final double DEFAULT_TEXT_HOLD_OUT = 0.05;

    /** The fields each kind accepts, besides kind, format and seed. */
    private static final Map<String, Set<String>> FIELDS = new LinkedHashMap<>();

    static {
        FIELDS.put("multihop", Set.of("entities", "relations", "kTrain", "kTest", "factFraction", "heldOutFraction"));
        FIELDS.put("modarith", Set.of("p", "depthTrain", "depthTest", "heldOutFraction"));
        FIELDS.put("bio", Set.of("people"));
        FIELDS.put("text", Set.of("file", "chunkLength", "validationFraction", "testFraction"));
    }

    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
            .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            // Jackson turns 3 or true into "3" or "true" for a string field; a spec should say what it means.
            .withCoercionConfig(LogicalType.Textual, c -> c
                    .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
                    .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
                    .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail))
            .build();

    /** Format and seed have defaults whatever the kind. */
    public TaskSpec {
        if (format == null) {
            format = Format.DIRECT;
        }
        if (seed == null) {
            seed = 0L;
        }
    }

    /** Reads and validates a spec from a JSON object; {@code source} names it in errors; a relative file is taken as is. */
    public static TaskSpec fromJson(JsonNode node, String source) {
        return fromJson(node, source, null);
    }

    /**
     * Reads and validates a spec from a JSON object; {@code source} names it in errors, and a
     * relative {@code file} is resolved against {@code baseDir} (e.g. the spec file's folder) when
     * that is not null.
     */
    public static TaskSpec fromJson(JsonNode node, String source, Path baseDir) {
        if (node == null || !node.isObject()) {
            throw new InvalidInputException(source, "a task must be a JSON object, got " + node);
        }
        TaskSpec spec;
        try {
            spec = MAPPER.readerFor(TaskSpec.class).readValue(node);
        } catch (UnrecognizedPropertyException e) {
            throw new InvalidInputException(source, "unknown field '" + e.getPropertyName() + "' (known fields: "
                    + String.join(", ", knownFields()) + ")");
        } catch (JsonMappingException e) {
            String field = fieldOf(e);
            throw new InvalidInputException(source, "field '" + field + "' must be " + expected(field)
                    + ", got " + node.get(field));
        } catch (IOException e) {
            throw new InvalidInputException(source, "cannot read the task: " + e.getMessage());
        }
        if (spec.file() != null) {
            path(source, spec.file()); // a name the file system cannot hold fails here, before it is resolved
        }
        return (baseDir == null ? spec : spec.resolvedAgainst(baseDir)).validate(source);
    }

    /** The path a {@code file} field names; a string no path can be (a NUL, say) is the field's error. */
    private static Path path(String source, String file) {
        try {
            return Path.of(file);
        } catch (InvalidPathException e) {
            throw new InvalidInputException(source, "field 'file': not a valid path (" + e.getReason() + ")");
        }
    }

    /** Reads and validates a spec from a JSON file; a relative {@code file} is relative to the spec's folder. */
    public static TaskSpec read(Path file) {
        return fromJson(org.looplens.engine.io.JsonFiles.tree(file, MAPPER), file.toString(), file.toAbsolutePath().getParent());
    }

    private static List<String> knownFields() {
        Set<String> all = new TreeSet<>(Set.of("kind", "format", "seed"));
        FIELDS.values().forEach(all::addAll);
        return List.copyOf(all);
    }

    private static String fieldOf(JsonMappingException e) {
        List<JsonMappingException.Reference> path = e.getPath();
        for (int i = path.size() - 1; i >= 0; i--) {
            if (path.get(i).getFieldName() != null) {
                return path.get(i).getFieldName();
            }
        }
        return "?";
    }

    private static String expected(String field) {
        return switch (field) {
            case "kind", "file" -> "a string";
            case "format" -> "\"direct\" or \"cot\"";
            case "factFraction", "heldOutFraction", "validationFraction", "testFraction" -> "a number";
            default -> "an integer";
        };
    }

    /** Checks every field for this kind; returns this spec. */
    public TaskSpec validate(String source) {
        if (kind == null) {
            throw new InvalidInputException(source, "missing required field 'kind' (one of "
                    + String.join(", ", FIELDS.keySet()) + ")");
        }
        Set<String> allowed = FIELDS.get(kind);
        if (allowed == null) {
            throw new InvalidInputException(source, "field 'kind': unknown kind '" + kind + "'; expected one of "
                    + String.join(", ", FIELDS.keySet()));
        }
        for (Map.Entry<String, Object> f : kindFields().entrySet()) {
            if (f.getValue() != null && !allowed.contains(f.getKey())) {
                throw new InvalidInputException(source, "field '" + f.getKey() + "' does not apply to kind '" + kind + "'");
            }
        }
        switch (kind) {
            case "multihop" -> {
                atLeast(source, "entities", required(source, "entities", entities), 2);
                atLeast(source, "relations", required(source, "relations", relations), 1);
                int kt = atLeast(source, "kTrain", required(source, "kTrain", kTrain), 1);
                int ks = required(source, "kTest", kTest);
                if (ks < kt) {
                    throw new InvalidInputException(source, "field 'kTest' (" + ks + ") must be at least kTrain (" + kt + ")");
                }
                atLeast(source, "kTest", ks, 2);
                atMost(source, "kTest", ks, 64);
                fraction(source, "factFraction", factFraction, true);
                fraction(source, "heldOutFraction", heldOutFraction, false);
            }
            case "modarith" -> {
                int pv = atLeast(source, "p", required(source, "p", p), 2);
                atMost(source, "p", pv, 1000);
                int dt = atLeast(source, "depthTrain", required(source, "depthTrain", depthTrain), 1);
                int ds = required(source, "depthTest", depthTest);
                if (ds < dt) {
                    throw new InvalidInputException(source, "field 'depthTest' (" + ds + ") must be at least depthTrain (" + dt + ")");
                }
                atMost(source, "depthTest", ds, 10);
                fraction(source, "heldOutFraction", heldOutFraction, false);
            }
            case "bio" -> atMost(source, "people", atLeast(source, "people", required(source, "people", people), 1), 1_000_000);
            case "text" -> {
                required(source, "file", file);
                Path path = path(source, file);
                if (!Files.exists(path)) {
                    throw new InvalidInputException(source, "field 'file': no such file " + file);
                }
                if (!Files.isRegularFile(path) || !Files.isReadable(path)) {
                    throw new InvalidInputException(source, "field 'file': " + file + " is not a readable file");
                }
                atLeast(source, "chunkLength", required(source, "chunkLength", chunkLength), 1);
                halfFraction(source, "validationFraction", validationFraction);
                halfFraction(source, "testFraction", testFraction);
            }
            default -> throw new IllegalStateException(kind);
        }
        return this;
    }

    private Map<String, Object> kindFields() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("entities", entities);
        m.put("relations", relations);
        m.put("kTrain", kTrain);
        m.put("kTest", kTest);
        m.put("factFraction", factFraction);
        m.put("heldOutFraction", heldOutFraction);
        m.put("p", p);
        m.put("depthTrain", depthTrain);
        m.put("depthTest", depthTest);
        m.put("people", people);
        m.put("file", file);
        m.put("chunkLength", chunkLength);
        m.put("validationFraction", validationFraction);
        m.put("testFraction", testFraction);
        return m;
    }

    private static <T> T required(String source, String field, T value) {
        if (value == null) {
            throw new InvalidInputException(source, "missing required field '" + field + "'");
        }
        return value;
    }

    private static int atLeast(String source, String field, int value, int min) {
        if (value < min) {
            throw new InvalidInputException(source, "field '" + field + "' must be at least " + min + ", got " + value);
        }
        return value;
    }

    private static int atMost(String source, String field, int value, int max) {
        if (value > max) {
            throw new InvalidInputException(source, "field '" + field + "' must be at most " + max + ", got " + value);
        }
        return value;
    }

    /** A share in (0, 1), or (0, 1] when one is allowed. */
    private static void fraction(String source, String field, Double value, boolean oneAllowed) {
        if (value != null && !(value > 0 && (oneAllowed ? value <= 1 : value < 1))) {
            throw new InvalidInputException(source, "field '" + field + "' must be in (0, 1" + (oneAllowed ? "]" : ")")
                    + ", got " + value);
        }
    }

    private static void halfFraction(String source, String field, Double value) {
        if (value != null && !(value > 0 && value < 0.5)) {
            throw new InvalidInputException(source, "field '" + field + "' must be in (0, 0.5), got " + value);
        }
    }

    /** This spec with a relative {@code file} resolved against {@code dir} (e.g. the spec file's folder). */
    public TaskSpec resolvedAgainst(Path dir) {
        if (file == null || Path.of(file).isAbsolute()) {
            return this;
        }
        return new TaskSpec(kind, format, seed, entities, relations, kTrain, kTest, factFraction, heldOutFraction, p,
                depthTrain, depthTest, people, dir.resolve(file).toString(), chunkLength, validationFraction, testFraction);
    }

    /** Validates and builds the task, naming errors after a generic source. */
    public Task create() {
        return create("task");
    }

    /** Validates and builds the task; {@code source} names the spec in errors. */
    public Task create(String source) {
        validate(source);
        try {
            return switch (kind) {
                case "multihop" -> new MultiHopTask(entities, relations, kTrain, kTest,
                        or(factFraction, DEFAULT_FACT_FRACTION), or(heldOutFraction, DEFAULT_HELD_OUT), seed);
                case "modarith" -> new ModArithTask(p, depthTrain, depthTest, or(heldOutFraction, DEFAULT_HELD_OUT), seed);
                case "bio" -> new BioFactsTask(people, seed);
                case "text" -> new TextFileTask(Path.of(file), chunkLength, or(validationFraction, DEFAULT_TEXT_HOLD_OUT),
                        or(testFraction, DEFAULT_TEXT_HOLD_OUT), seed);
                default -> throw new IllegalStateException(kind);
            };
        } catch (IllegalArgumentException e) {
            throw new InvalidInputException(source, e.getMessage(), e);
        }
    }

    private static double or(Double value, double fallback) {
        return value != null ? value : fallback;
    }
}
