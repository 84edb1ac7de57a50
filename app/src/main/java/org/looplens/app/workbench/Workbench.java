package org.looplens.app.workbench;

import java.nio.file.Path;
import javafx.stage.Window;

/** What the views share: background work, notifications, the window, and the checkpoint list. */
interface Workbench {
    BackgroundWork work();

    Notifier notifier();

    Window window();

    /** Lists a checkpoint a training run saved in the checkpoint panel. */
    void runCheckpointSaved(Path dir);
}
