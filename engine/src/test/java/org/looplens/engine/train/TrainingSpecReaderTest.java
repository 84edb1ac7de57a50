package org.looplens.engine.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.looplens.engine.InvalidInputException;

/** Spec files: defaults, a stable hash, and one clear error per kind of mistake. */
class TrainingSpecReaderTest {
    @TempDir
    Path tmp;

    @Test
    void defaultsAreFilledAndTheHashIsStable() throws Exception {
        TrainingSpecReader.Loaded a = TrainingSpecs.load(TrainingSpecs.tiny(5, 0, 1e-3), tmp);
        TrainingSpec s = a.spec();
        assertEquals(1.0, s.clip());
        assertEquals("cosine", s.phases().get(1).schedule());
        assertEquals(0.1, s.phases().get(1).weightDecay());
        assertEquals(8, s.totalSteps());
        assertEquals(a.hash(), TrainingSpecs.load(TrainingSpecs.tiny(5, 0, 1e-3), tmp).hash());
        assertNotEquals(a.hash(), TrainingSpecs.load(TrainingSpecs.tiny(6, 0, 1e-3), tmp).hash());
        assertEquals(a.hash(), TrainingSpecs.load(TrainingSpecs.tiny(5, 0, 1e-3).replace("\"clip\"", "\"x\""), tmp).hash(),
                "formatting and key order do not change the hash");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "unknown top-level field | \"seed\": 9 | \"seed\": 9, \"sede\": 1 | unknown field 'sede'",
            "unknown nested field | \"steps\": 3, | \"steps\": 3, \"stpes\": 2, | unknown field 'phases[1].stpes'",
            "wrong type | \"size\": 4 | \"size\": \"four\" | 'batch.size'",
            "negative steps | \"steps\": 3, | \"steps\": -3, | 'phases[1].steps' must be positive",
            "unknown objective | \"kind\": \"stage2\" | \"kind\": \"stage3\" | 'phases[1].objective.kind'",
            "field of another objective | {\"kind\": \"stage2\"} | {\"kind\": \"stage2\", \"beta\": 0.1} | "
                    + "'phases[1].objective.beta' does not apply",
            "bad schedule | \"lr\": 0.01} | \"lr\": 0.01, \"schedule\": \"step\"} | 'phases[1].schedule'",
            "zero lr | \"lr\": 0.01} | \"lr\": 0} | 'phases[1].lr'",
            "bad prior | \"beta\": 0.1} | \"beta\": 0.1, \"priorLambda\": 1.5} | priorLambda",
            "task error | \"kTest\": 3 | \"kTest\": 1 | kTest",
    })
    void mistakesAreNamed(String what, String from, String to, String expected) throws Exception {
        String json = TrainingSpecs.tiny(5, 0, 1e-3);
        assertTrue(json.contains(from), "test setup: " + from);
        String broken = json.replaceFirst(java.util.regex.Pattern.quote(from), java.util.regex.Matcher.quoteReplacement(to));
        Path file = tmp.resolve("bad.json");
        Files.writeString(file, broken);
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> TrainingSpecReader.read(file));
        assertTrue(e.getMessage().contains("bad.json"), e.getMessage());
        assertTrue(e.getMessage().contains(expected), what + ": " + e.getMessage());
        assertEquals(1, e.getMessage().lines().count(), e.getMessage());
    }

    @Test
    void structuralMistakes() throws Exception {
        for (String[] c : new String[][] {
                {"{", "not valid JSON"},
                {"[1]", "JSON object"},
                {"{\"model\": {\"config\": {}}, \"task\": {\"kind\": \"multihop\"}}", "'phases'"},
                {"{\"task\": {\"kind\": \"multihop\"}, \"phases\": [{\"objective\": {\"kind\": \"ce\"}, \"steps\": 1}]}",
                        "'model'"},
                {"{\"model\": {\"config\": {}, \"init\": \"x\"}, \"task\": {}, \"phases\": []}", "exactly one"}}) {
            Path file = tmp.resolve("s.json");
            Files.writeString(file, c[0]);
            InvalidInputException e = assertThrows(InvalidInputException.class, () -> TrainingSpecReader.read(file));
            assertTrue(e.getMessage().contains(c[1]), c[0] + " → " + e.getMessage());
        }
        InvalidInputException missing = assertThrows(InvalidInputException.class,
                () -> TrainingSpecReader.read(tmp.resolve("absent.json")));
        assertTrue(missing.getMessage().contains("file not found"));
    }
}
