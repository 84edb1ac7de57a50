package org.looplens.acceptance.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;

/** Arbitrary bytes as a prompt set (JSONL). */
class PromptSetFuzzTest {
    @FuzzTest(maxDuration = "30s")
    void read(byte[] input) {
        ParserTarget.PROMPT_SET.check(input);
    }
}
