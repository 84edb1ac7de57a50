package org.looplens.app.cli;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Ctrl-C (or SIGTERM) during a long command: asks the work to stop at its next safe point (a
 * training step, a token) and holds the JVM's exit until the command has said what happened. The
 * hook waits for this command to finish, not for its thread: the thread itself ends in
 * System.exit, which waits for the hook.
 */
final class CancelOnShutdown implements AutoCloseable {
    private final CountDownLatch finished = new CountDownLatch(1);
    private final Thread hook;
    private volatile boolean requested;

    /** @param waitSeconds how long an exit waits for the command to wrap up */
    CancelOnShutdown(String name, Runnable cancel, int waitSeconds) {
        hook = new Thread(() -> {
            requested = true;
            cancel.run();
            try {
                finished.await(waitSeconds, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, name);
        Runtime.getRuntime().addShutdownHook(hook);
    }

    /** Whether a shutdown asked the work to stop. */
    boolean requested() {
        return requested;
    }

    /** The work has ended by itself: a later Ctrl-C has nothing to stop. */
    void workDone() {
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
            // the hook is already running; it waits for close()
        }
    }

    /** The command has reported; a waiting exit may go on. */
    @Override
    public void close() {
        workDone();
        finished.countDown();
    }
}
