package org.looplens.acceptance.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;

/** Arbitrary bytes as a saved workbench session. */
class SessionFuzzTest {
    @FuzzTest(maxDuration = "30s")
    void load(byte[] input) {
        ParserTarget.SESSION.check(input);
    }
}
