package org.looplens.app.workbench;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import javafx.stage.Stage;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * While a training run and repeated inspections work in the background, the FX thread keeps
 * pulsing: a watchdog timer measures the longest gap between pulses.
 */
class ResponsivenessTest {
    @TempDir
    Path runs;

    @BeforeAll
    static void toolkit() {
        FxTest.startToolkit();
    }

    @Test
    void theFxThreadNeverStallsDuringBackgroundWork() throws Exception {
        ObjectNode spec = (ObjectNode) new ObjectMapper().readTree(TrainingViewTest.SPEC);
        ((ObjectNode) spec.get("phases").get(0)).put("steps", 5000);
        MainWindow window = FxTest.onFx(() -> new MainWindow(new Stage(), WorkbenchSettings.inMemory()));
        FxTest.runFx(() -> window.open(SampleCheckpoints.folder().orElseThrow().resolve("multihop-loop4")));
        FxTest.waitUntil("the sample to open", 30, () -> window.current() != null);

        StallWatchdog watchdog = new StallWatchdog();
        FxTest.runFx(() -> {
            window.training().setSpec(spec);
            window.training().setRunFolder(runs.resolve("run"));
            window.inspector().setPrompt("3,17,9,22,5,8,1,30,2,11,4,19", true);
            System.gc(); // start the window from a collected heap: earlier work's garbage is not this test's
            watchdog.start();
            window.training().start(false);
        });
        long end = System.nanoTime() + 6_000_000_000L;
        while (System.nanoTime() < end && FxTest.onFx(() -> window.training().runningProperty().get())) {
            FxTest.runFx(() -> window.inspector().recompute());
            Thread.sleep(150);
        }
        FxTest.runFx(watchdog::stop);
        FxTest.runFx(() -> window.training().stop());
        FxTest.waitUntil("the run to stop", 60, () -> !window.training().runningProperty().get());
        FxTest.runFx(() -> window.work().shutdown());
        assertTrue(watchdog.pulses() > 100, "the watchdog saw only " + watchdog.pulses() + " pulses in 6 s");
        assertTrue(window.training().records().size() >= 3, "the run did train: " + window.training().records().size());
        watchdog.assertNoStall();
    }
}
