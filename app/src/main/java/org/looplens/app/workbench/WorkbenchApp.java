package org.looplens.app.workbench;

import javafx.application.Application;
import javafx.stage.Stage;

/** The JavaFX application: one main window over the user's remembered settings. */
public final class WorkbenchApp extends Application {
    /** Opens the workbench and returns when its window has closed. */
    public static void open() {
        launch(WorkbenchApp.class);
    }

    @Override
    public void start(Stage stage) {
        WorkbenchSettings settings = WorkbenchSettings.load(WorkbenchSettings.defaultFolder());
        new MainWindow(stage, settings).show();
    }
}
