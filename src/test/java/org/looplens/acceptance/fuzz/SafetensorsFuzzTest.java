package org.looplens.acceptance.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;

/** Arbitrary bytes as a safetensors file: opened, and every tensor read, or refused cleanly. */
class SafetensorsFuzzTest {
    @FuzzTest(maxDuration = "30s")
    void open(byte[] input) {
        ParserTarget.SAFETENSORS.check(input);
    }
}
