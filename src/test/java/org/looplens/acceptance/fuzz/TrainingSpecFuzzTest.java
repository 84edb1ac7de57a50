package org.looplens.acceptance.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;

/** Arbitrary bytes as a training spec (looplens train SPEC.json). */
class TrainingSpecFuzzTest {
    @FuzzTest(maxDuration = "30s")
    void read(byte[] input) {
        ParserTarget.TRAINING_SPEC.check(input);
    }
}
