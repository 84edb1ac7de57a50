package org.looplens.app.workbench;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Consumer;
import javafx.application.Platform;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.concurrent.Task;

/**
 * Where the workbench's long work runs: off the FX thread, one job per lane at a time, each
 * reported to the status bar (title, progress, Cancel) until it ends. Results and failures come
 * back on the FX thread; a failure that is the user's doing (bad input) becomes a notification,
 * never a stack-trace dialog.
 */
public final class BackgroundWork {
    private final ExecutorService inspectLane = lane("looplens-inspect");
    private final ExecutorService trainLane = lane("looplens-train");
    private final ReadOnlyObjectWrapper<Task<?>> current = new ReadOnlyObjectWrapper<>();
    private final Notifier notifier;

    public BackgroundWork(Notifier notifier) {
        this.notifier = notifier;
    }

    private static ExecutorService lane(String name) {
        return Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        });
    }

    /** The job the status bar shows (the newest one started), or null. */
    public ReadOnlyObjectProperty<Task<?>> currentProperty() {
        return current.getReadOnlyProperty();
    }

    /** Runs a short analysis job (loading, inspecting); results arrive on the FX thread. */
    public <T> Task<T> inspect(Task<T> task, Consumer<T> onDone) {
        return submit(inspectLane, task, onDone);
    }

    /** Runs a training job on its own lane, so inspection stays available while it trains. */
    public <T> Task<T> train(Task<T> task, Consumer<T> onDone) {
        return submit(trainLane, task, onDone);
    }

    private <T> Task<T> submit(ExecutorService lane, Task<T> task, Consumer<T> onDone) {
        task.setOnSucceeded(e -> {
            clear(task);
            onDone.accept(task.getValue());
        });
        task.setOnFailed(e -> {
            clear(task);
            notifier.failure(task.getTitle(), task.getException());
        });
        task.setOnCancelled(e -> clear(task));
        runOnFx(() -> current.set(task));
        lane.submit(task);
        return task;
    }

    private void clear(Task<?> task) {
        if (current.get() == task) {
            current.set(null);
        }
    }

    /** Stops the workers (at exit). */
    public void shutdown() {
        inspectLane.shutdownNow();
        trainLane.shutdownNow();
    }

    static void runOnFx(Runnable r) {
        if (Platform.isFxApplicationThread()) {
            r.run();
        } else {
            Platform.runLater(r);
        }
    }
}
