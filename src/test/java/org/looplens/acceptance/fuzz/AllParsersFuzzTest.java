package org.looplens.acceptance.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.util.Arrays;

/**
 * All parsers in one fuzz test, its first byte choosing which: Jazzer fuzzes one test per JVM,
 * and starting a JVM with its agent costs more than a short run per parser would fuzz. CI runs
 * this one; the per-parser tests are for long runs. Its seeds are the per-parser seeds, each
 * behind its parser's byte (bin/fuzz-seeds writes them; {@link AllParsersSeedsTest} checks).
 */
class AllParsersFuzzTest {
    @FuzzTest(maxDuration = "150s")
    void fuzz(byte[] input) {
        if (input.length == 0) {
            return;
        }
        ParserTarget[] targets = ParserTarget.values();
        targets[(input[0] & 0xFF) % targets.length].check(Arrays.copyOfRange(input, 1, input.length));
    }
}
