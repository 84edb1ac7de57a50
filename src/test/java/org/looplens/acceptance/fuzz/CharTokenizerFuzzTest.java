package org.looplens.acceptance.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;

/** Arbitrary bytes as LoopLens's own character tokenizer file. */
class CharTokenizerFuzzTest {
    @FuzzTest(maxDuration = "30s")
    void read(byte[] input) {
        ParserTarget.CHAR_TOKENIZER.check(input);
    }
}
