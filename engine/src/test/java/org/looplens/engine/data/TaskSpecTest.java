package org.looplens.engine.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.looplens.engine.InvalidInputException;

class TaskSpecTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String SOURCE = "run.json#task";

    @TempDir
    Path dir;

    private static JsonNode json(String text) {
        try {
            return JSON.readTree(text);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    private static TaskSpec spec(String text) {
        return TaskSpec.fromJson(json(text), SOURCE);
    }

    @Test
    void everyKindBuildsItsTask() throws IOException {
        TaskSpec mh = spec("{\"kind\": \"multihop\", \"entities\": 40, \"relations\": 3, \"kTrain\": 2, \"kTest\": 4,"
                + " \"seed\": 5, \"format\": \"cot\"}");
        assertEquals(Format.COT, mh.format());
        MultiHopTask m = assertInstanceOf(MultiHopTask.class, mh.create(SOURCE));
        assertEquals(40, m.entities());
        assertEquals(4, m.kTest());
        assertEquals(m.example(Split.TEST, 9, Format.COT),
                new MultiHopTask(40, 3, 2, 4, TaskSpec.DEFAULT_FACT_FRACTION, TaskSpec.DEFAULT_HELD_OUT, 5)
                        .example(Split.TEST, 9, Format.COT), "defaults and seed reach the task");

        TaskSpec ma = spec("{\"kind\": \"modarith\", \"p\": 11, \"depthTrain\": 2, \"depthTest\": 3}");
        assertEquals(Format.DIRECT, ma.format());
        assertEquals(0L, ma.seed());
        assertEquals(11, assertInstanceOf(ModArithTask.class, ma.create()).modulus());

        assertEquals(20, assertInstanceOf(BioFactsTask.class, spec("{\"kind\": \"bio\", \"people\": 20}").create()).people());

        Files.writeString(dir.resolve("t.txt"), "x".repeat(5000));
        TaskSpec text = TaskSpec.fromJson(json("{\"kind\": \"text\", \"file\": \"t.txt\", \"chunkLength\": 64}"), SOURCE, dir);
        TextFileTask t = assertInstanceOf(TextFileTask.class, text.create());
        assertEquals(64, t.chunkLength());
        assertEquals(dir.resolve("t.txt"), t.file());
    }

    @Test
    void aSpecRoundTripsThroughJson() throws IOException {
        TaskSpec s = spec("{\"kind\": \"multihop\", \"entities\": 40, \"relations\": 3, \"kTrain\": 2, \"kTest\": 4, \"format\": \"cot\"}");
        String written = JSON.writeValueAsString(s);
        assertTrue(written.contains("\"kTrain\":2") && written.contains("\"format\":\"cot\""), written);
        assertTrue(!written.contains("null"), written);
        assertEquals(s, spec(written));
        Path file = Files.writeString(dir.resolve("task.json"), written);
        assertEquals(s, TaskSpec.read(file));
    }

    /** Each bad spec is refused with a message naming the field (or the unknown kind). */
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "{\"kind\": \"multihop\", \"entities\": -3, \"relations\": 3, \"kTrain\": 2, \"kTest\": 4} | 'entities'",
        "{\"kind\": \"multihop\", \"entities\": 40, \"relations\": 0, \"kTrain\": 2, \"kTest\": 4} | 'relations'",
        "{\"kind\": \"multihop\", \"entities\": 40, \"relations\": 3, \"kTrain\": 3, \"kTest\": 2} | 'kTest'",
        "{\"kind\": \"multihop\", \"entities\": 40, \"relations\": 3, \"kTrain\": 2} | 'kTest'",
        "{\"kind\": \"multihop\", \"entities\": 40, \"relations\": 3, \"kTrain\": 2, \"kTest\": 4, \"factFraction\": 0} | 'factFraction'",
        "{\"kind\": \"multihop\", \"entities\": 40, \"relations\": 3, \"kTrain\": 2, \"kTest\": 4, \"heldOutFraction\": 1} | 'heldOutFraction'",
        "{\"kind\": \"multihop\", \"entities\": \"ten\", \"relations\": 3, \"kTrain\": 2, \"kTest\": 4} | 'entities'",
        "{\"kind\": \"multihop\", \"entities\": 4.5, \"relations\": 3, \"kTrain\": 2, \"kTest\": 4} | 'entities'",
        "{\"kind\": \"multihop\", \"entities\": 40, \"relations\": 3, \"kTrain\": 2, \"kTest\": 4, \"p\": 7} | 'p'",
        "{\"kind\": \"multihop\", \"entites\": 40, \"relations\": 3, \"kTrain\": 2, \"kTest\": 4} | 'entites'",
        "{\"kind\": \"modarith\", \"p\": 1, \"depthTrain\": 2, \"depthTest\": 3} | 'p'",
        "{\"kind\": \"modarith\", \"p\": 7, \"depthTrain\": 3, \"depthTest\": 2} | 'depthTest'",
        "{\"kind\": \"modarith\", \"p\": 7, \"depthTrain\": 2, \"depthTest\": 3, \"format\": \"chain\"} | 'format'",
        "{\"kind\": \"bio\", \"people\": -1} | 'people'",
        "{\"kind\": \"bio\"} | 'people'",
        "{\"kind\": \"text\", \"file\": \"/no/such/corpus.txt\", \"chunkLength\": 64} | 'file'",
        "{\"kind\": \"text\", \"chunkLength\": 64} | 'file'",
        "{\"kind\": \"poetry\"} | 'poetry'",
        "{\"entities\": 3} | 'kind'",
        "{\"kind\": 3} | 'kind'",
    })
    void badSpecsNameTheField(String text, String named) {
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> spec(text).create(SOURCE));
        assertEquals(SOURCE, e.source());
        assertTrue(e.problem().contains(named), e.getMessage());
        assertTrue(!e.getMessage().contains("\n"), "one line: " + e.getMessage());
    }

    @Test
    void unknownFieldsAreRejectedByName() {
        InvalidInputException e = assertThrows(InvalidInputException.class,
                () -> spec("{\"kind\": \"bio\", \"people\": 5, \"peeple\": 6}"));
        assertTrue(e.problem().startsWith("unknown field 'peeple'"), e.getMessage());
    }

    @Test
    void tasksTooSmallToHoldOutAreInputErrors() {
        InvalidInputException e = assertThrows(InvalidInputException.class,
                () -> spec("{\"kind\": \"multihop\", \"entities\": 2, \"relations\": 1, \"kTrain\": 2, \"kTest\": 2}").create(SOURCE));
        assertTrue(e.problem().contains("too small"), e.getMessage());
    }

    @Test
    void textFileTooSmallNamesTheFile() throws IOException {
        Path small = Files.writeString(dir.resolve("small.txt"), "abc");
        InvalidInputException e = assertThrows(InvalidInputException.class,
                () -> spec("{\"kind\": \"text\", \"file\": \"" + small + "\", \"chunkLength\": 64}").create(SOURCE));
        assertEquals(small.toString(), e.source());
    }
}
