package org.looplens.acceptance.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;

/** Arbitrary bytes as the workbench's settings file, which never stops a start. */
class WorkbenchSettingsFuzzTest {
    @FuzzTest(maxDuration = "30s")
    void load(byte[] input) {
        ParserTarget.WORKBENCH_SETTINGS.check(input);
    }
}
