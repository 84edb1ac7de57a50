package org.looplens.app.workbench;

import javafx.scene.Scene;

/** The light and dark looks: one shared stylesheet, and the dark one on top when chosen. */
final class Themes {
    private Themes() {}

    static void apply(Scene scene, String theme) {
        scene.getStylesheets().clear();
        scene.getStylesheets().add(url("workbench.css"));
        if ("dark".equals(theme)) {
            scene.getStylesheets().add(url("dark.css"));
        }
    }

    private static String url(String name) {
        var u = Themes.class.getResource(name);
        if (u == null) {
            throw new IllegalStateException("stylesheet " + name + " is missing from the application");
        }
        return u.toExternalForm();
    }
}
