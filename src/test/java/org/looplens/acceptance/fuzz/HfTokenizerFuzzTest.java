package org.looplens.acceptance.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import org.looplens.engine.data.HfTokenizer;

/**
 * Arbitrary bytes as a Hugging Face tokenizer.json: loaded (by the native tokenizers library) and
 * used on a prompt, or refused with one line. A panic in the native code must not take the JVM.
 */
class HfTokenizerFuzzTest {
    @FuzzTest(maxDuration = "30s")
    void load(byte[] input) {
        ParserContract.check(input, "tokenizer.json", file -> {
            try (HfTokenizer t = HfTokenizer.load(file)) {
                return t.vocabSize();
            }
        });
    }
}
