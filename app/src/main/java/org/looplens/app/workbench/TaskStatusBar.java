package org.looplens.app.workbench;

import javafx.beans.binding.Bindings;
import javafx.concurrent.Task;
import javafx.scene.control.Button;
import org.controlsfx.control.StatusBar;

/**
 * The status bar: the running job's title and message, its progress, and a Cancel button; "Ready"
 * when nothing runs.
 */
final class TaskStatusBar extends StatusBar {
    private final Button cancel = new Button("Cancel");

    TaskStatusBar(BackgroundWork work) {
        setText("Ready");
        cancel.setId("cancel-task");
        cancel.setDisable(true);
        getRightItems().add(cancel);
        work.currentProperty().addListener((obs, old, task) -> show(task));
    }

    private void show(Task<?> task) {
        textProperty().unbind();
        progressProperty().unbind();
        if (task == null) {
            setText("Ready");
            setProgress(0);
            cancel.setDisable(true);
            cancel.setOnAction(null);
            return;
        }
        textProperty().bind(Bindings.createStringBinding(
                () -> task.getMessage() == null || task.getMessage().isBlank()
                        ? task.getTitle() : task.getTitle() + ": " + task.getMessage(),
                task.titleProperty(), task.messageProperty()));
        progressProperty().bind(task.progressProperty());
        cancel.setDisable(false);
        cancel.setOnAction(e -> task.cancel(true));
    }
}
