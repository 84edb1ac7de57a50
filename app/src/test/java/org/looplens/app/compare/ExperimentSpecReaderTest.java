package org.looplens.app.compare;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.looplens.engine.InvalidInputException;
import org.looplens.engine.data.Format;
import org.looplens.engine.train.TrainingSpecReader;

/** Experiment specs: members' derived training specs, and one-line errors that name the field. */
class ExperimentSpecReaderTest {
    static final String SPEC = """
            {
              "name": "tiny",
              "task": {"kind": "multihop", "entities": 8, "relations": 2, "kTrain": 2, "kTest": 3, "seed": 2},
              "model": {"config": {"hidden_size": 16, "intermediate_size": 32, "num_hidden_layers": 1,
                        "num_attention_heads": 2, "num_key_value_heads": 1, "max_position_embeddings": 32}},
              "training": {
                "loopPhases": [{"objective": {"kind": "stage1"}, "steps": 20, "lr": 0.003, "warmup": 2}],
                "phases": [{"objective": {"kind": "ce"}, "steps": 20, "lr": 0.003, "warmup": 2}],
                "batch": {"size": 8},
                "seed": 1,
                "eval": {"every": 0, "examples": 16},
                "checkpoint": {"every": 5, "keep": 2},
                "logEvery": 5
              },
              "members": [
                {"kind": "loop", "loops": 3},
                {"kind": "flat"},
                {"kind": "deep", "loops": 3},
                {"kind": "cot"}
              ],
              "evaluation": {"questions": 32, "timingQuestions": 8, "exitPoints": 5}
            }
            """;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path ROOT = Path.of(System.getProperty("looplens.samples.dir", "../sample-checkpoints"))
            .toAbsolutePath().getParent();

    @TempDir
    Path dir;

    private ExperimentSpec read(String text) throws Exception {
        Path f = dir.resolve("experiment.json");
        Files.writeString(f, text);
        return ExperimentSpecReader.read(f);
    }

    private String error(String text) {
        return assertThrows(InvalidInputException.class, () -> read(text)).getMessage();
    }

    @Test
    void membersDeriveTheirTrainingSpecs() throws Exception {
        ExperimentSpec spec = read(SPEC);
        assertEquals(4, spec.members().size());
        assertEquals("loop3", spec.members().get(0).name());
        assertEquals("flat", spec.members().get(1).name());
        assertEquals("deep3", spec.members().get(2).name()); // 1 layer × 3 steps
        assertEquals("cot", spec.members().get(3).name());

        JsonNode loop = MemberSpecs.json(spec, spec.members().get(0));
        assertEquals(3, loop.at("/model/config/total_ut_steps").asInt());
        assertEquals(1, loop.at("/model/config/num_hidden_layers").asInt());
        assertEquals("stage1", loop.at("/phases/0/objective/kind").asText());

        JsonNode flat = MemberSpecs.json(spec, spec.members().get(1));
        assertEquals(1, flat.at("/model/config/total_ut_steps").asInt());
        assertEquals(1, flat.at("/model/config/num_hidden_layers").asInt());
        assertEquals("ce", flat.at("/phases/0/objective/kind").asText());
        assertFalse(flat.at("/task").has("format"));

        JsonNode deep = MemberSpecs.json(spec, spec.members().get(2));
        assertEquals(3, deep.at("/model/config/num_hidden_layers").asInt());
        assertEquals(1, deep.at("/model/config/total_ut_steps").asInt());
        assertEquals("ce", deep.at("/phases/0/objective/kind").asText());

        TrainingSpecReader.Loaded cot = MemberSpecs.load(spec, spec.members().get(3), 3);
        assertEquals(Format.COT, cot.task().format());
        assertEquals(1, cot.spec().model().config().get("total_ut_steps").asInt());
        assertEquals(1, cot.spec().model().config().get("num_hidden_layers").asInt());
        // shared settings reach every member
        assertEquals(8, cot.spec().batch().size());
        assertEquals(5, cot.spec().checkpoint().every());
        assertEquals(1, cot.spec().seed());
        assertEquals("cot", cot.spec().name());
    }

    @Test
    void aMemberMayGiveItsOwnPhases() throws Exception {
        ExperimentSpec spec = read(SPEC.replace("{\"kind\": \"deep\", \"loops\": 3}",
                "{\"kind\": \"deep\", \"loops\": 3, \"phases\": [{\"objective\": {\"kind\": \"ce\"}, \"steps\": 7}]}"));
        assertEquals(7, MemberSpecs.load(spec, spec.members().get(2), 2).spec().totalSteps());
        assertEquals(20, MemberSpecs.load(spec, spec.members().get(1), 1).spec().totalSteps());
    }

    @Test
    void theExampleSpecReproducesTheSampleSpecsExactly() {
        ExperimentSpec spec = ExperimentSpecReader.read(ROOT.resolve("docs/depth-vs-cot.json"));
        for (String sample : new String[] {"multihop-loop4", "multihop-flat", "multihop-cot"}) {
            int i = indexOf(spec, sample);
            String derived = MemberSpecs.load(spec, spec.members().get(i), i).hash();
            String committed = TrainingSpecReader.read(ROOT.resolve("sample-checkpoints/specs/" + sample + ".json")).hash();
            assertEquals(committed, derived, sample);
            assertEquals(committed, MemberTraining.finishedHash(ROOT.resolve("sample-checkpoints/" + sample)).orElseThrow(),
                    sample + "'s training.json");
        }
        int deep = indexOf(spec, "multihop-deep8");
        TrainingSpecReader.Loaded d = MemberSpecs.load(spec, spec.members().get(deep), deep);
        assertEquals(8, d.spec().model().config().get("num_hidden_layers").asInt());
        assertEquals(1, d.spec().model().config().get("total_ut_steps").asInt());
        assertEquals(null, spec.members().get(deep).checkpoint());
    }

    private static int indexOf(ExperimentSpec spec, String name) {
        for (int i = 0; i < spec.members().size(); i++) {
            if (spec.members().get(i).name().equals(name)) {
                return i;
            }
        }
        throw new AssertionError(name + " is not a member");
    }

    @Test
    void errorsNameTheFileAndTheField() {
        String e = error(SPEC.replace("\"kind\": \"flat\"", "\"kind\": \"wide\""));
        assertTrue(e.contains("experiment.json") && e.contains("members[1].kind") && e.contains("'wide'"), e);

        e = error(SPEC.replace("\"exitPoints\": 5", "\"exitPoints\": 5, \"extra\": 1"));
        assertTrue(e.contains("unknown field 'evaluation.extra'"), e);

        e = error(SPEC.replace("{\"kind\": \"flat\"}", "{\"kind\": \"flat\", \"loops\": 2}"));
        assertTrue(e.contains("members[1].loops") && e.contains("does not apply"), e);

        e = error(SPEC.replace("{\"kind\": \"loop\", \"loops\": 3}", "{\"kind\": \"loop\"}"));
        assertTrue(e.contains("missing required field 'members[0].loops'"), e);

        e = error(SPEC.replace("\"loops\": 3}", "\"loops\": 1.5}"));
        assertTrue(e.contains("members[0].loops"), e);

        e = error(SPEC.replace("\"seed\": 2}", "\"seed\": 2, \"format\": \"cot\"}"));
        assertTrue(e.contains("task.format"), e);

        e = error(SPEC.replace("\"num_hidden_layers\": 1,", "\"num_hidden_layers\": 1, \"total_ut_steps\": 4,"));
        assertTrue(e.contains("model.config.total_ut_steps"), e);

        e = error(SPEC.replace("{\"kind\": \"cot\"}", "{\"kind\": \"cot\", \"name\": \"flat\"}"));
        assertTrue(e.contains("members[3].name") && e.contains("used by another member"), e);

        e = error(SPEC.replace("\"exitPoints\": 5", "\"exitPoints\": 1"));
        assertTrue(e.contains("evaluation.exitPoints") && e.contains("2..101"), e);

        // a bad phase is reported by the training-spec reader, naming the member
        e = error(SPEC.replace("{\"kind\": \"ce\"}, \"steps\": 20", "{\"kind\": \"ce\"}, \"steps\": 0"));
        assertTrue(e.contains("members[1] ('flat')") && e.contains("phases[0].steps"), e);

        e = error(SPEC.replace("\"loopPhases\": [{\"objective\": {\"kind\": \"stage1\"}, \"steps\": 20, \"lr\": 0.003, "
                + "\"warmup\": 2}],", ""));
        assertTrue(e.contains("training.loopPhases") && e.contains("members[0]"), e);

        e = error(SPEC.replace("\"task\": {", "\"task\": {\"depth\": 3, "));
        assertTrue(e.contains("task") && e.contains("depth"), e);

        e = error("{\"members\": [}");
        assertTrue(e.contains("not valid JSON"), e);
    }
}
