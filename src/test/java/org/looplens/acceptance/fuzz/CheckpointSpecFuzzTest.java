package org.looplens.acceptance.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;

/** Arbitrary bytes as a checkpoint's training.json, whose spec is read back when the checkpoint is opened. */
class CheckpointSpecFuzzTest {
    @FuzzTest(maxDuration = "30s")
    void ofCheckpoint(byte[] input) {
        ParserTarget.CHECKPOINT_SPEC.check(input);
    }
}
