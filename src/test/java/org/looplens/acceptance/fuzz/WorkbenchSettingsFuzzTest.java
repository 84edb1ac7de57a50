package org.looplens.acceptance.fuzz;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import org.looplens.app.workbench.WorkbenchSettings;

/**
 * Arbitrary bytes as the workbench's settings file. Settings never stop the workbench from
 * starting: whatever the file holds, loading returns values the window can use.
 */
class WorkbenchSettingsFuzzTest {
    @FuzzTest(maxDuration = "30s")
    void load(byte[] input) {
        ParserContract.check(input, "workbench.json", file -> {
            WorkbenchSettings.Values v = WorkbenchSettings.load(file.getParent()).values();
            assertNotNull(v.recentCheckpoints, "recentCheckpoints");
            assertTrue(v.recentCheckpoints.stream().allMatch(p -> p != null), "a null recent checkpoint");
            assertNotNull(v.theme, "theme");
            assertTrue(Double.isFinite(v.width) && v.width > 0 && Double.isFinite(v.height) && v.height > 0,
                    () -> "window size " + v.width + " x " + v.height);
            assertTrue(v.divider >= 0 && v.divider <= 1, () -> "divider " + v.divider);
            return v;
        });
    }
}
