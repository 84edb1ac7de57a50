package org.looplens.app.workbench;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import javafx.concurrent.Task;
import javafx.stage.Stage;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The workbench worked hard for a while: 50 rounds of opening a checkpoint, starting and stopping
 * a training run, starting and cancelling an analysis, and inspecting a prompt. Afterwards no
 * thread is left over, the heap after a full GC is back near where it started, and the FX thread
 * never stalled.
 */
class StressTest {
    private static final int ROUNDS = 50;
    /** Heap growth allowed after a full GC: caches that fill once (fonts, chart renderers), not per round. */
    private static final long MAX_HEAP_GROWTH = 64L << 20;
    /** Threads allowed beyond the start: pools the first round starts once (the lanes, the kernels' workers). */
    private static final int MAX_NEW_THREADS = 12;

    @TempDir
    Path runs;

    @BeforeAll
    static void toolkit() {
        FxTest.startToolkit();
    }

    private static long heapAfterGc() throws InterruptedException {
        long used = Long.MAX_VALUE;
        for (int i = 0; i < 3; i++) { // a few rounds: finalisable and soft garbage needs more than one
            System.gc();
            Thread.sleep(100);
            used = Math.min(used, ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed());
        }
        return used;
    }

    @Test
    void fiftyRoundsOfOpeningTrainingAnalysingAndCancellingLeaveNothingBehind() throws Exception {
        ObjectNode spec = (ObjectNode) new ObjectMapper().readTree(TrainingViewTest.SPEC);
        ((ObjectNode) spec.get("phases").get(0)).put("steps", 100_000);
        Path samples = SampleCheckpoints.folder().orElseThrow();
        MainWindow window = FxTest.onFx(() -> new MainWindow(new Stage(), WorkbenchSettings.inMemory()));
        FxTest.runFx(() -> window.training().setSpec(spec));
        // One warm-up round starts every pool and cache once; the leak checks count from after it.
        round(window, samples, 0);
        long threadsBefore = ManagementFactory.getThreadMXBean().getThreadCount();
        long heapBefore = heapAfterGc();

        StallWatchdog watchdog = new StallWatchdog();
        FxTest.runFx(watchdog::start);
        for (int i = 1; i <= ROUNDS; i++) {
            round(window, samples, i);
        }
        FxTest.runFx(watchdog::stop);

        long threadsAfter = ManagementFactory.getThreadMXBean().getThreadCount();
        long heapAfter = heapAfterGc();
        System.out.printf(java.util.Locale.ROOT, "reliability: gui stress, %d rounds: threads %d -> %d, heap after GC %d -> %d MiB,"
                + " worst FX stall %.1f ms%n", ROUNDS, threadsBefore, threadsAfter, heapBefore >> 20, heapAfter >> 20,
                watchdog.worstNanos() / 1e6);
        assertTrue(threadsAfter <= threadsBefore + MAX_NEW_THREADS,
                "threads grew from " + threadsBefore + " to " + threadsAfter + " over " + ROUNDS + " rounds");
        assertTrue(heapAfter <= heapBefore + MAX_HEAP_GROWTH, "heap after GC grew from " + (heapBefore >> 20) + " MiB to "
                + (heapAfter >> 20) + " MiB over " + ROUNDS + " rounds");
        watchdog.assertNoStall();
        FxTest.runFx(() -> window.work().shutdown());
    }

    /** Open a sample, train and stop, run and cancel an analysis, inspect a prompt. */
    private void round(MainWindow window, Path samples, int i) {
        String name = i % 2 == 0 ? "multihop-loop4" : "modarith-loop4";
        Path dir = samples.resolve(name);
        FxTest.runFx(() -> window.open(dir));
        FxTest.waitUntil("round " + i + ": " + name + " to open", 30,
                () -> FxTest.onFx(() -> window.current() != null && window.current().dir().equals(dir)));

        FxTest.runFx(() -> {
            window.training().setRunFolder(runs.resolve("run-" + i));
            window.training().start(false);
        });
        FxTest.waitUntil("round " + i + ": training to start", 30, () -> FxTest.onFx(() -> window.training().runningProperty().get()));
        FxTest.runFx(() -> window.training().stop());
        FxTest.waitUntil("round " + i + ": training to stop", 60, () -> !FxTest.onFx(() -> window.training().runningProperty().get()));

        FxTest.runFx(() -> {
            window.analyses().select("depth");
            window.analyses().settings().set("depth", "--questions", "4000");
            window.analyses().run();
        });
        Task<?> analysis = FxTest.onFx(() -> window.analyses().running());
        FxTest.runFx(() -> analysis.cancel(true));
        FxTest.waitUntil("round " + i + ": the analysis to stop", 30, analysis::isDone);

        FxTest.runFx(() -> {
            window.inspector().setPrompt("1,5,9,3", true);
            window.inspector().recompute();
        });
        FxTest.waitUntil("round " + i + ": the inspection", 30,
                () -> FxTest.onFx(() -> window.inspector().resultProperty().get() != null
                        && window.inspector().resultProperty().get().checkpoint().dir().equals(dir)));
    }
}
