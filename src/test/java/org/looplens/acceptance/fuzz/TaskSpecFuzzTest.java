package org.looplens.acceptance.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;

/** Arbitrary bytes as a task spec file. */
class TaskSpecFuzzTest {
    @FuzzTest(maxDuration = "30s")
    void read(byte[] input) {
        ParserTarget.TASK_SPEC.check(input);
    }
}
