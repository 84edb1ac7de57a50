package org.looplens.app.compare;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import org.looplens.engine.InvalidInputException;
import org.looplens.engine.io.JsonFiles;
import org.looplens.engine.data.TaskSpec;

/**
 * Reads an experiment spec ({@code looplens compare SPEC.json}), fills defaults and checks every
 * field, with one-line errors naming the file and the field path (e.g. {@code members[2].kind}).
 * Every member's training spec is derived and checked here too, so a bad phase or config is
 * reported before anything is trained.
 */
public final class ExperimentSpecReader {
    private static final ObjectMapper STRICT = new ObjectMapper()
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");

    private ExperimentSpecReader() {}

    // The file as written; phases, task, config and the shared fields stay JSON so they reach the
    // member specs verbatim (a 50 read as 50.0 would change the spec hash).
    private record SpecFile(String name, JsonNode task, ModelFile model, TrainingFile training, List<MemberFile> members,
                            EvaluationFile evaluation) {}

    private record ModelFile(JsonNode config) {}

    private record TrainingFile(JsonNode loopPhases, JsonNode phases, JsonNode batch, JsonNode seed, JsonNode clip,
                                JsonNode eval, JsonNode checkpoint, JsonNode logEvery) {}

    private record MemberFile(String name, String kind, Integer loops, JsonNode phases, String checkpoint) {}

    private record EvaluationFile(Integer questions, Integer timingQuestions, Integer exitPoints, Long seed,
                                  Integer bootstrap, Double noiseSigma) {}

    public static ExperimentSpec read(Path file) {
        return fromJson(JsonFiles.tree(file, STRICT), file.toString(), file.toAbsolutePath().getParent());
    }

    public static ExperimentSpec fromJson(JsonNode root, String source, Path baseDir) {
        if (root == null || !root.isObject()) {
            throw new InvalidInputException(source, "expected a JSON object at the top level");
        }
        SpecFile f;
        try {
            f = STRICT.treeToValue(root, SpecFile.class);
        } catch (UnrecognizedPropertyException e) {
            throw new InvalidInputException(source, "unknown field '" + path(e) + "' (known here: "
                    + e.getKnownPropertyIds() + ")");
        } catch (JsonMappingException e) {
            throw new InvalidInputException(source, "field '" + path(e) + "' has the wrong type or value ("
                    + e.getOriginalMessage().lines().findFirst().orElse("") + ")");
        } catch (JsonProcessingException e) {
            throw new InvalidInputException(source, "cannot read the spec (" + e.getOriginalMessage() + ")");
        }
        String name = f.name() == null ? "comparison" : f.name();
        if (!NAME.matcher(name).matches()) {
            throw new InvalidInputException(source, "field 'name' must be letters, digits, '.', '_' or '-', got '" + name + "'");
        }
        JsonNode task = required(source, "task", f.task());
        if (!task.isObject()) {
            throw new InvalidInputException(source, "field 'task' must be a JSON object (a task as in a training spec)");
        }
        if (task.has("format")) {
            throw new InvalidInputException(source, "field 'task.format' is set by each member's kind (cot members "
                    + "train on cot, the others on direct): leave it out");
        }
        TaskSpec.fromJson(task, source + ": task", baseDir); // checks the task's own fields
        ObjectNode config = baseConfig(source, f.model());
        ExperimentSpec.Training training = training(source, f.training());
        List<ExperimentSpec.Member> members = members(source, f.members(), config, baseDir);
        ExperimentSpec spec = new ExperimentSpec(name, task, config, training, members,
                evaluation(source, f.evaluation()), baseDir, source);
        for (int i = 0; i < members.size(); i++) {
            ExperimentSpec.Member m = members.get(i);
            String at = "members[" + i + "]";
            if ((m.kind() == MemberKind.LOOP ? training.loopPhases() : training.phases()) == null && m.phases() == null) {
                throw new InvalidInputException(source, "field 'training." + (m.kind() == MemberKind.LOOP ? "loopPhases"
                        : "phases") + "' is needed by " + at + " ('" + m.name() + "'), which gives no phases of its own");
            }
            MemberSpecs.load(spec, m, i); // a bad derived spec fails here, naming the member
        }
        return spec;
    }

    private static ObjectNode baseConfig(String source, ModelFile model) {
        if (model == null || model.config() == null) {
            throw new InvalidInputException(source, "missing required field 'model.config' (the base Ouro config)");
        }
        if (!model.config().isObject()) {
            throw new InvalidInputException(source, "field 'model.config' must be a JSON object");
        }
        ObjectNode config = (ObjectNode) model.config();
        if (config.has("total_ut_steps")) {
            throw new InvalidInputException(source, "field 'model.config.total_ut_steps' is set per member (from its "
                    + "kind and loops): leave it out of the base config");
        }
        JsonNode layers = config.get("num_hidden_layers");
        if (layers == null || !layers.isInt() || layers.asInt() < 1) {
            throw new InvalidInputException(source, "field 'model.config.num_hidden_layers' must be a positive integer "
                    + "(the deep member multiplies it), got " + layers);
        }
        return config;
    }

    private static ExperimentSpec.Training training(String source, TrainingFile t) {
        if (t == null) {
            throw new InvalidInputException(source, "missing required field 'training'");
        }
        phasesArray(source, "training.loopPhases", t.loopPhases());
        phasesArray(source, "training.phases", t.phases());
        ObjectNode shared = STRICT.createObjectNode();
        JsonNode[] values = {t.batch(), t.seed(), t.clip(), t.eval(), t.checkpoint(), t.logEvery()};
        String[] names = {"batch", "seed", "clip", "eval", "checkpoint", "logEvery"};
        for (int i = 0; i < names.length; i++) {
            if (values[i] != null && !values[i].isNull()) {
                shared.set(names[i], values[i]);
            }
        }
        return new ExperimentSpec.Training(t.loopPhases(), t.phases(), shared);
    }

    private static void phasesArray(String source, String field, JsonNode phases) {
        if (phases != null && (!phases.isArray() || phases.isEmpty())) {
            throw new InvalidInputException(source, "field '" + field + "' must be a non-empty array of phases");
        }
    }

    private static List<ExperimentSpec.Member> members(String source, List<MemberFile> files, ObjectNode config,
                                                       Path baseDir) {
        if (files == null || files.isEmpty()) {
            throw new InvalidInputException(source, "field 'members' must list at least one model");
        }
        List<ExperimentSpec.Member> out = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (int i = 0; i < files.size(); i++) {
            MemberFile m = files.get(i);
            String at = "members[" + i + "]";
            if (m == null) {
                throw new InvalidInputException(source, "field '" + at + "' must be an object");
            }
            if (m.kind() == null) {
                throw new InvalidInputException(source, "missing required field '" + at + ".kind' (loop, flat, deep or cot)");
            }
            MemberKind kind = MemberKind.parse(m.kind());
            if (kind == null) {
                throw new InvalidInputException(source, "field '" + at + ".kind' must be loop, flat, deep or cot, got '"
                        + m.kind() + "'");
            }
            int loops = 1;
            if (kind.takesLoops()) {
                if (m.loops() == null) {
                    throw new InvalidInputException(source, "missing required field '" + at + ".loops' (T, the loop steps"
                            + (kind == MemberKind.DEEP ? " whose compute the deep model matches" : "") + ")");
                }
                loops = m.loops();
                if (loops < 2 || loops > 64) {
                    throw new InvalidInputException(source, "field '" + at + ".loops' must lie in 2..64, got " + loops);
                }
            } else if (m.loops() != null) {
                throw new InvalidInputException(source, "field '" + at + ".loops' does not apply to a " + kind.jsonName()
                        + " member (it runs its layers once)");
            }
            String name = m.name() != null ? m.name() : defaultName(kind, loops, config.get("num_hidden_layers").asInt());
            if (!NAME.matcher(name).matches()) {
                throw new InvalidInputException(source, "field '" + at + ".name' must be letters, digits, '.', '_' or '-'"
                        + " (it names a folder), got '" + name + "'");
            }
            if (!names.add(name)) {
                throw new InvalidInputException(source, "field '" + at + ".name': '" + name + "' is used by another member");
            }
            phasesArray(source, at + ".phases", m.phases());
            Path checkpoint = m.checkpoint() == null ? null : checkpoint(source, at, baseDir, m.checkpoint());
            out.add(new ExperimentSpec.Member(name, kind, loops, m.phases(), checkpoint));
        }
        return List.copyOf(out);
    }

    private static Path checkpoint(String source, String at, Path baseDir, String checkpoint) {
        try {
            return baseDir.resolve(checkpoint).normalize();
        } catch (InvalidPathException e) {
            throw new InvalidInputException(source, "field '" + at + ".checkpoint': not a valid path (" + e.getReason() + ")");
        }
    }

    private static String defaultName(MemberKind kind, int loops, int layers) {
        return switch (kind) {
            case LOOP -> "loop" + loops;
            case DEEP -> "deep" + layers * loops;
            case FLAT, COT -> kind.jsonName();
        };
    }

    private static ExperimentSpec.EvaluationSettings evaluation(String source, EvaluationFile e) {
        EvaluationFile f = e == null ? new EvaluationFile(null, null, null, null, null, null) : e;
        int questions = inRange(source, "evaluation.questions", f.questions(), 1024, 1, 100_000);
        int timing = inRange(source, "evaluation.timingQuestions", f.timingQuestions(), 64, 1, 10_000);
        int points = inRange(source, "evaluation.exitPoints", f.exitPoints(), 11, 2, 101);
        int bootstrap = inRange(source, "evaluation.bootstrap", f.bootstrap(), 200, 0, 100_000);
        double sigma = f.noiseSigma() == null ? 1.0 : f.noiseSigma();
        if (!(sigma > 0 && sigma <= 10)) {
            throw new InvalidInputException(source, "field 'evaluation.noiseSigma' must lie in (0, 10], got " + sigma);
        }
        return new ExperimentSpec.EvaluationSettings(questions, timing, points, f.seed() == null ? 0 : f.seed(), bootstrap,
                sigma);
    }

    private static int inRange(String source, String field, Integer value, int fallback, int lo, int hi) {
        int v = value == null ? fallback : value;
        if (v < lo || v > hi) {
            throw new InvalidInputException(source, "field '" + field + "' must lie in " + lo + ".." + hi + ", got " + v);
        }
        return v;
    }

    private static JsonNode required(String source, String field, JsonNode value) {
        if (value == null || value.isNull()) {
            throw new InvalidInputException(source, "missing required field '" + field + "'");
        }
        return value;
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
}
