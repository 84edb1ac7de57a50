package org.looplens.acceptance.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import org.looplens.engine.data.TaskSpec;

/** Arbitrary bytes as a task spec file. */
class TaskSpecFuzzTest {
    @FuzzTest(maxDuration = "30s")
    void read(byte[] input) {
        ParserContract.check(input, "task.json", file -> TaskSpec.read(file));
    }
}
