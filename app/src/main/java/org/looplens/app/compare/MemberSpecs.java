package org.looplens.app.compare;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.looplens.engine.config.LoopConfig;
import org.looplens.engine.train.TrainingSpecReader;

/**
 * A member's training spec, in the house format of {@code sample-checkpoints/specs/*.json}: the
 * base config with {@code total_ut_steps} (and for the deep model {@code num_hidden_layers}) set
 * by the member's kind, the task (in the cot format for cot members), the phases of its kind and
 * the shared settings. Everything is copied as written, so a member that matches a hand-written
 * spec has the same spec hash and reuses its checkpoint.
 */
public final class MemberSpecs {
    private static final ObjectMapper JSON = new ObjectMapper();

    private MemberSpecs() {}

    /** The derived spec as JSON. */
    public static ObjectNode json(ExperimentSpec spec, ExperimentSpec.Member m) {
        ObjectNode config = spec.model().deepCopy();
        int layers = config.get("num_hidden_layers").asInt();
        if (m.kind() == MemberKind.DEEP) {
            config.put("num_hidden_layers", layers * m.loops());
        }
        config.put("total_ut_steps", m.kind() == MemberKind.LOOP ? m.loops() : 1);
        ObjectNode task = spec.task().deepCopy();
        if (m.kind() == MemberKind.COT) {
            task.put("format", "cot");
        }
        JsonNode phases = m.phases() != null ? m.phases()
                : m.kind() == MemberKind.LOOP ? spec.training().loopPhases() : spec.training().phases();
        ObjectNode root = JSON.createObjectNode();
        root.put("name", m.name());
        root.putObject("model").set("config", config);
        root.set("task", task);
        root.set("phases", phases.deepCopy());
        root.setAll(spec.training().shared().deepCopy());
        return root;
    }

    /**
     * The derived spec read and checked as {@code looplens train} would read it; errors name the
     * experiment file and the member. The config is checked too, with the task's vocabulary.
     */
    public static TrainingSpecReader.Loaded load(ExperimentSpec spec, ExperimentSpec.Member m, int index) {
        String source = spec.source() + ": members[" + index + "] ('" + m.name() + "')";
        TrainingSpecReader.Loaded loaded = TrainingSpecReader.fromJson(json(spec, m), source, spec.baseDir());
        ObjectNode config = loaded.spec().model().config().deepCopy();
        if (!config.has("vocab_size")) {
            config.put("vocab_size", loaded.task().create(source + ": task").vocabulary().size());
        }
        LoopConfig.fromJson(config, source + ": model.config");
        return loaded;
    }
}
