package org.looplens.acceptance.fuzz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.looplens.analyses.prompts.PromptSet;
import org.looplens.app.compare.ExperimentSpecReader;
import org.looplens.app.workbench.Session;
import org.looplens.app.workbench.WorkbenchSettings;
import org.looplens.engine.InvalidInputException;
import org.looplens.engine.data.CharTokenizer;
import org.looplens.engine.data.HfTokenizer;
import org.looplens.engine.data.TaskSpec;
import org.looplens.engine.data.Vocabulary;
import org.looplens.engine.train.TrainingSpecReader;

/**
 * Each input that broke a parser's contract (docs/reliability.md), with the message it gets now.
 * The same inputs are in the fuzz tests' corpora, where the contract alone is checked.
 */
class ParserFindingsTest {
    @TempDir
    Path dir;

    private Path write(String name, String content) throws IOException {
        return Files.writeString(dir.resolve(name), content);
    }

    private static String refusal(Runnable parse) {
        return assertThrows(InvalidInputException.class, parse::run).getMessage();
    }

    @Test
    void aNulInATaskFileIsTheFieldsErrorNotAnInvalidPathException() throws IOException {
        Path f = write("task.json", "{\"kind\": \"text\", \"file\": \"corpus\\u0000.txt\", \"chunkLength\": 256}");
        assertEquals(f + ": field 'file': not a valid path (Nul character not allowed)", refusal(() -> TaskSpec.read(f)));
    }

    @Test
    void aNulInAMembersCheckpointIsTheFieldsError() throws IOException {
        Path f = write("experiment.json", """
                {"task": {"kind": "multihop", "entities": 8, "relations": 2, "kTrain": 2, "kTest": 3},
                 "model": {"config": {"hidden_size": 16, "intermediate_size": 32, "num_hidden_layers": 1,
                           "num_attention_heads": 2}},
                 "training": {"phases": [{"objective": {"kind": "ce"}, "steps": 2}]},
                 "members": [{"kind": "loop", "loops": 2, "checkpoint": "a\\u0000b"}]}
                """);
        assertEquals(f + ": field 'members[0].checkpoint': not a valid path (Nul character not allowed)",
                refusal(() -> ExperimentSpecReader.read(f)));
    }

    @Test
    void theLargestIntAsATokenIdIsRefusedNotAnOverflow() throws IOException {
        Path f = write("tokenizer.json",
                "{\"model\":{\"type\":\"WordLevel\",\"vocab\":{\"<unk>\":2147483647},\"unk_token\":\"<unk>\"}}");
        assertEquals(f + ": token id 2147483647 is too large (at most 2147483646)", refusal(() -> HfTokenizer.load(f)));
    }

    @Test
    void brokenJsonInACharTokenizerIsOneLine() throws IOException {
        Path f = write("looplens-tokenizer.json", "{\"type\":\"char\",\"tokens\":[\"a\",");
        assertEquals(f + ": not valid JSON (Unexpected end-of-input within/between Array entries)",
                refusal(() -> CharTokenizer.read(f)));
    }

    @Test
    void anEmptySessionFileIsOneLine() throws IOException {
        Path f = write("session.looplens.json", "");
        assertEquals(f + ": not a LoopLens session: No content to map due to end-of-input", refusal(() -> Session.load(f)));
    }

    @Test
    void sessionNullsGetDefaultsAndImpossibleValuesAreNamed() throws IOException {
        Session.State s = Session.load(write("nulls.json", "{\"version\":1,\"prompt\":null,\"history\":[null,\"a\"]}"));
        assertEquals("", s.prompt);
        assertEquals(List.of("a"), s.history);
        Path q = write("q.json", "{\"q\": 7}");
        assertEquals(q + ": field 'q' must lie in [0, 1], got 7.0", refusal(() -> Session.load(q)));
    }

    @Test
    void settingsWithNullsOrImpossibleSizesFallBackToDefaults() throws IOException {
        write("workbench.json", "{\"recentCheckpoints\":[null,\"/a\"],\"theme\":null,\"width\":-1,\"height\":1e400,"
                + "\"divider\":7}");
        WorkbenchSettings.Values v = WorkbenchSettings.load(dir).values();
        WorkbenchSettings.Values defaults = new WorkbenchSettings.Values();
        assertEquals(List.of("/a"), v.recentCheckpoints);
        assertEquals(defaults.theme, v.theme);
        assertEquals(defaults.width, v.width);
        assertEquals(defaults.height, v.height);
        assertEquals(defaults.divider, v.divider);
    }

    @Test
    void aWordNotInTheVocabularyNamesTheFileAndLine() throws IOException {
        Path f = write("prompts.jsonl", "{\"text\":\"e0 r1 =\",\"label\":\"e2\"}\n{\"text\":\"E0 r1 =\",\"label\":\"e2\"}\n");
        Vocabulary words = Vocabulary.ofWords(List.of("e0", "e1", "e2", "r0", "r1", "="));
        assertEquals(f + ":2: 'text': word 'E0' is not in the vocabulary", refusal(() -> PromptSet.read(f, words::encode)));
    }

    @Test
    void aLineBreakInAKeyIsEscapedInTheMessage() throws IOException {
        Path f = write("experiment.json", "{\"task\": {\"kind\": \"bio\", \"people\": 3}, \"members\": [{\"checkpoi\\nt\": 1}]}");
        assertTrue(refusal(() -> ExperimentSpecReader.read(f)).startsWith(f + ": unknown field 'members[0].checkpoi\\nt'"));
    }

    @Test
    void aCheckpointsTrainingJsonThatIsNotUtf8IsOneLine() throws IOException {
        Path f = dir.resolve("training.json");
        Files.write(f, "{\"spec\": \"\u00bc\"}".getBytes(StandardCharsets.ISO_8859_1));
        assertEquals(f + ": not valid JSON (Invalid UTF-8 start byte 0xbc)",
                refusal(() -> TrainingSpecReader.ofCheckpoint(dir)));
    }
}
