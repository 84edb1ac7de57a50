package org.looplens.acceptance.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;

/** Arbitrary bytes as a Hugging Face tokenizer.json, loaded by the native tokenizers library. */
class HfTokenizerFuzzTest {
    @FuzzTest(maxDuration = "30s")
    void load(byte[] input) {
        ParserTarget.HF_TOKENIZER.check(input);
    }
}
