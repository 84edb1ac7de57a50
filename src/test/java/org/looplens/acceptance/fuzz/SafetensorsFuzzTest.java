package org.looplens.acceptance.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import org.looplens.engine.io.SafetensorsFile;

/** Arbitrary bytes as a safetensors file: opened, and every tensor read, or refused cleanly. */
class SafetensorsFuzzTest {
    @FuzzTest(maxDuration = "30s")
    void open(byte[] input) {
        ParserContract.check(input, "model.safetensors", file -> {
            try (SafetensorsFile f = SafetensorsFile.open(file)) {
                for (String name : f.names()) {
                    if (f.info(name).dtype().readableAsFloat()) {
                        f.readFloats(name);
                        f.scanNonFinite(name);
                    }
                }
                return f.metadata();
            }
        });
    }
}
