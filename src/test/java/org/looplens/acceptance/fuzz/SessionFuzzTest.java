package org.looplens.acceptance.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import org.looplens.app.workbench.Session;

/** Arbitrary bytes as a saved workbench session. */
class SessionFuzzTest {
    @FuzzTest(maxDuration = "30s")
    void load(byte[] input) {
        ParserContract.check(input, "session.looplens.json", file -> Session.load(file));
    }
}
