package org.looplens.acceptance.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.file.Files;
import java.nio.file.Path;
import org.looplens.engine.train.TrainingSpecReader;

/**
 * Arbitrary bytes as a training spec (looplens train SPEC.json), and as the training.json of a
 * checkpoint folder, whose spec field is read back when the checkpoint is opened.
 */
class TrainingSpecFuzzTest {
    @FuzzTest(maxDuration = "30s")
    void read(byte[] input) {
        ParserContract.check(input, "spec.json", TrainingSpecReader::read);
    }

    @FuzzTest(maxDuration = "30s")
    void ofCheckpoint(byte[] input) {
        ParserContract.check(input, "training.json", file -> {
            Path dir = file.getParent();
            Files.createDirectories(dir);
            return TrainingSpecReader.ofCheckpoint(dir);
        });
    }
}
