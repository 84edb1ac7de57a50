package org.looplens.app.workbench;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.Supplier;
import javafx.geometry.Pos;
import javafx.stage.Window;
import javafx.util.Duration;
import org.controlsfx.control.Notifications;
import org.looplens.engine.InvalidInputException;

/**
 * Tells the user what happened without getting in the way: a notification in the window's corner
 * (ControlsFX), and the same line kept in a log the status bar and tests can read. Bad input reads
 * as its one-line message; only an internal error mentions that it is one.
 */
public final class Notifier {
    private final Supplier<Window> owner;
    private final List<String> log = Collections.synchronizedList(new ArrayList<>());

    public Notifier(Supplier<Window> owner) {
        this.owner = owner;
    }

    public void info(String title, String text) {
        show(title, text, false);
    }

    public void failure(String what, Throwable error) {
        String text = describe(error);
        show(what == null || what.isBlank() ? "Failed" : what + " failed", text, true);
    }

    /** One line for a failure: the message of bad input, the kind and message of anything else. */
    static String describe(Throwable error) {
        Throwable e = error;
        while (e.getCause() != null && !(e instanceof InvalidInputException) && e.getMessage() == null) {
            e = e.getCause();
        }
        if (e instanceof InvalidInputException || e instanceof IllegalArgumentException) {
            return e.getMessage();
        }
        if (e instanceof OutOfMemoryError) {
            return "out of memory: use fewer steps or a shorter prompt";
        }
        return "internal error (" + e.getClass().getSimpleName() + "): " + e.getMessage();
    }

    /** Every message shown so far, oldest first. */
    public List<String> messages() {
        synchronized (log) {
            return List.copyOf(log);
        }
    }

    private void show(String title, String text, boolean error) {
        log.add(title + ": " + text);
        BackgroundWork.runOnFx(() -> {
            Window w = owner.get();
            if (w == null || !w.isShowing()) {
                return;
            }
            Notifications n = Notifications.create().title(title).text(text).owner(w)
                    .position(Pos.BOTTOM_RIGHT).hideAfter(Duration.seconds(error ? 8 : 4));
            if (error) {
                n.showError();
            } else {
                n.showInformation();
            }
        });
    }
}
