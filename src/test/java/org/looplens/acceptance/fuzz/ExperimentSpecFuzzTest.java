package org.looplens.acceptance.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;

/** Arbitrary bytes as a compare experiment spec (looplens compare SPEC.json). */
class ExperimentSpecFuzzTest {
    @FuzzTest(maxDuration = "30s")
    void read(byte[] input) {
        ParserTarget.EXPERIMENT_SPEC.check(input);
    }
}
