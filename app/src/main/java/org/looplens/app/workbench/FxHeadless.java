package org.looplens.app.workbench;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import javafx.application.Platform;

/**
 * Starts JavaFX without a display (the headless glass platform with software rendering), for
 * snapshots and tests, and runs work on its thread.
 */
public final class FxHeadless {
    private static boolean started;

    private FxHeadless() {}

    /** Selects the headless platform; must come before anything touches the toolkit. */
    public static void select() {
        System.setProperty("glass.platform", "Headless");
        System.setProperty("prism.order", "sw");
        System.setProperty("java.awt.headless", "true");
    }

    /** Starts the toolkit once (headless), keeping it alive with no window open. */
    public static synchronized void start() {
        if (started) {
            return;
        }
        select();
        CompletableFuture<Void> up = new CompletableFuture<>();
        try {
            Platform.startup(() -> up.complete(null));
        } catch (IllegalStateException alreadyRunning) {
            up.complete(null);
        }
        Platform.setImplicitExit(false);
        await(up);
        started = true;
    }

    /** Runs on the FX thread and waits for the answer (failures rethrown here). */
    public static <T> T call(Supplier<T> body) {
        CompletableFuture<T> f = new CompletableFuture<>();
        Platform.runLater(() -> {
            try {
                f.complete(body.get());
            } catch (Throwable t) {
                f.completeExceptionally(t);
            }
        });
        return await(f);
    }

    private static <T> T await(CompletableFuture<T> f) {
        try {
            return f.get(60, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw new IllegalStateException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for JavaFX", e);
        } catch (TimeoutException e) {
            throw new IllegalStateException("JavaFX did not answer within 60 s", e);
        }
    }
}
