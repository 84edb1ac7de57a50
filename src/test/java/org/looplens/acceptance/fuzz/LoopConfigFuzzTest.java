package org.looplens.acceptance.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;

/** Arbitrary bytes as a checkpoint's config.json: a validated config, or a one-line refusal. */
class LoopConfigFuzzTest {
    @FuzzTest(maxDuration = "30s")
    void read(byte[] input) {
        ParserTarget.CONFIG.check(input);
    }
}
