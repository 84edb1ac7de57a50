package org.looplens.app.workbench;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicLong;
import javafx.animation.AnimationTimer;
import javafx.stage.Stage;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * While a training run and repeated inspections work in the background, the FX thread keeps
 * pulsing: a watchdog timer measures the longest gap between pulses.
 */
class ResponsivenessTest {
    private static final long MAX_STALL_NANOS = 100_000_000L;

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

        AtomicLong last = new AtomicLong();
        AtomicLong worst = new AtomicLong();
        AtomicLong pulses = new AtomicLong();
        AtomicLong lastGc = new AtomicLong();
        AtomicLong gcInWorst = new AtomicLong(); // collector time within the worst gap, to tell a pause from our work
        AnimationTimer watchdog = new AnimationTimer() {
            @Override
            public void handle(long now) {
                long gc = collectorMillis();
                long gcBefore = lastGc.getAndSet(gc);
                long before = last.getAndSet(System.nanoTime());
                if (before != 0) {
                    long gap = System.nanoTime() - before;
                    if (gap > worst.get()) {
                        worst.set(gap);
                        gcInWorst.set(gc - gcBefore);
                    }
                }
                pulses.incrementAndGet();
            }
        };
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
        assertTrue(pulses.get() > 100, "the watchdog saw only " + pulses.get() + " pulses in 6 s");
        assertTrue(window.training().records().size() >= 3, "the run did train: " + window.training().records().size());
        assertTrue(worst.get() < MAX_STALL_NANOS, "the FX thread stalled for " + worst.get() / 1e6 + " ms, "
                + gcInWorst.get() + " ms of it in collector pauses");
    }

    /** Time the collectors have paused the JVM, in all (a pause stalls every thread alike); concurrent cycles left out. */
    private static long collectorMillis() {
        long ms = 0;
        for (var gc : java.lang.management.ManagementFactory.getGarbageCollectorMXBeans()) {
            if (!gc.getName().contains("Concurrent")) {
                ms += Math.max(0, gc.getCollectionTime());
            }
        }
        return ms;
    }
}
