package org.looplens.acceptance.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import org.looplens.app.compare.ExperimentSpecReader;

/** Arbitrary bytes as a compare experiment spec (looplens compare SPEC.json). */
class ExperimentSpecFuzzTest {
    @FuzzTest(maxDuration = "30s")
    void read(byte[] input) {
        ParserContract.check(input, "experiment.json", file -> ExperimentSpecReader.read(file));
    }
}
