package org.looplens.acceptance.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.util.List;
import org.looplens.analyses.prompts.PromptSet;
import org.looplens.engine.data.Vocabulary;

/** Arbitrary bytes as a prompt set (JSONL), encoded with a word vocabulary as a checkpoint's tokenizer would. */
class PromptSetFuzzTest {
    private static final Vocabulary WORDS = Vocabulary.ofWords(List.of("e0", "e1", "e2", "r0", "r1", "="));

    @FuzzTest(maxDuration = "30s")
    void read(byte[] input) {
        ParserContract.check(input, "prompts.jsonl", file -> PromptSet.read(file, WORDS::encode));
    }
}
