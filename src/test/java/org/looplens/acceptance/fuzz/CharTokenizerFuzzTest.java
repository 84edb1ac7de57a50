package org.looplens.acceptance.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import org.looplens.engine.data.CharTokenizer;

/** Arbitrary bytes as LoopLens's own character tokenizer file. */
class CharTokenizerFuzzTest {
    @FuzzTest(maxDuration = "30s")
    void read(byte[] input) {
        ParserContract.check(input, "looplens-tokenizer.json", file -> CharTokenizer.read(file).vocabSize());
    }
}
