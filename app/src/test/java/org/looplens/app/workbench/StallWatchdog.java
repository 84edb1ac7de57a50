package org.looplens.app.workbench;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import javafx.animation.AnimationTimer;

/**
 * Watches the FX thread while background work runs: the longest gap between two pulses, and how
 * much of that gap the collectors paused the whole JVM for (a pause stalls every thread alike).
 * Start and stop it on the FX thread; read it after stopping.
 */
final class StallWatchdog extends AnimationTimer {
    /** The longest stall a GUI test accepts. */
    static final long MAX_STALL_NANOS = 100_000_000L;

    private volatile long last;
    private volatile long lastGc;
    private volatile long worst;
    private volatile long gcInWorst;
    private volatile long pulses;

    @Override
    public void handle(long now) {
        long gc = collectorMillis();
        long gcBefore = lastGc;
        lastGc = gc;
        long before = last;
        last = System.nanoTime();
        if (before != 0 && last - before > worst) {
            worst = last - before;
            gcInWorst = gc - gcBefore;
        }
        pulses++;
    }

    long worstNanos() {
        return worst;
    }

    long pulses() {
        return pulses;
    }

    /** Fails when the FX thread stalled for {@link #MAX_STALL_NANOS} or more. */
    void assertNoStall() {
        assertTrue(worst < MAX_STALL_NANOS, "the FX thread stalled for " + worst / 1e6 + " ms, " + gcInWorst
                + " ms of it in collector pauses");
    }

    /** Time the collectors have paused the JVM, in all; concurrent cycles left out. */
    private static long collectorMillis() {
        long ms = 0;
        for (var gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            if (!gc.getName().contains("Concurrent")) {
                ms += Math.max(0, gc.getCollectionTime());
            }
        }
        return ms;
    }
}
