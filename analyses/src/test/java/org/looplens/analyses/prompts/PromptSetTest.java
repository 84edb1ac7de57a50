package org.looplens.analyses.prompts;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.looplens.engine.InvalidInputException;
import org.looplens.engine.data.Example;

/** Prompt sets read back what was written, and a bad line is an error naming file and line. */
class PromptSetTest {
    /** A stand-in tokenizer: one token per space-separated word, its length as the id. */
    private static final Function<String, int[]> WORDS = s -> java.util.Arrays.stream(s.trim().split(" +"))
            .mapToInt(String::length).toArray();

    @TempDir
    Path dir;

    @Test
    void aTaskExampleRoundTripsAsAQuestion() throws Exception {
        Example e = new Example(new int[] {1, 7, 8, 9, 4, 2}, new boolean[5], 4, new int[] {4}, 3, new int[] {5, 4},
                "k1", "<bos> a b c = d");
        Path file = dir.resolve("set.jsonl");
        Files.writeString(file, PromptSet.line(e) + "\n\n" + "{\"text\": \"ab cde\", \"label\": \"xyz\", "
                + "\"counterfactual\": \"abc de\"}\n");
        List<PromptSet.Prompt> set = PromptSet.read(file, WORDS);
        assertEquals(2, set.size());
        assertArrayEquals(new int[] {1, 7, 8, 9}, set.get(0).tokens());
        assertEquals(4, set.get(0).label());
        assertEquals(3, set.get(0).difficulty());
        assertNull(set.get(0).counterfactual());
        assertArrayEquals(new int[] {2, 3}, set.get(1).tokens());
        assertEquals(3, set.get(1).label());
        assertArrayEquals(new int[] {3, 2}, set.get(1).counterfactual());
    }

    @Test
    void badLinesNameTheFileLineAndField() throws Exception {
        Path file = dir.resolve("bad.jsonl");
        for (String[] c : new String[][] {
            {"{\"tokens\": [1, 2], \"label\": 3, \"lable\": 4}", "unknown field 'lable'"},
            {"{\"tokens\": [1, 2]", "not a JSON object"},
            {"{\"label\": 3}", "needs 'text' or 'tokens'"},
            {"{\"tokens\": [1, 2]}", "needs a 'label'"},
            {"{\"tokens\": [1, \"x\"], \"label\": 3}", "'tokens'[1] is not a token id"},
            {"{\"text\": \"a b\", \"label\": \"two words\"}", "is 2 tokens, not one"},
        }) {
            Files.writeString(file, "{\"tokens\": [5], \"label\": 1}\n" + c[0] + "\n");
            InvalidInputException e = assertThrows(InvalidInputException.class, () -> PromptSet.read(file, WORDS));
            assertTrue(e.getMessage().contains("bad.jsonl:2") && e.getMessage().contains(c[1]), e.getMessage());
        }
    }
}
