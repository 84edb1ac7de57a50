package org.looplens.app.workbench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;
import javafx.geometry.Insets;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.TreeItem;
import javafx.scene.control.TreeView;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.Priority;
import javafx.scene.layout.VBox;
import javafx.stage.DirectoryChooser;
import org.looplens.app.inspect.OpenCheckpoint;
import org.looplens.engine.config.LoopConfig;

/**
 * The checkpoint panel: the bundled samples, recent folders and the checkpoints of training runs
 * started here, an Open button, and the open checkpoint's facts (layers, loop steps, parameters,
 * tokenizer, load warnings).
 */
final class CheckpointPanel extends VBox {
    private final TreeItem<Entry> samples = new TreeItem<>(Entry.heading("Samples"));
    private final TreeItem<Entry> recent = new TreeItem<>(Entry.heading("Recent"));
    private final TreeItem<Entry> runs = new TreeItem<>(Entry.heading("Training runs"));
    private final TreeView<Entry> tree = new TreeView<>(new TreeItem<>(Entry.heading("")));
    private final GridPane facts = new GridPane();
    private final Consumer<Path> open;

    /** A row of the tree: a heading, or a checkpoint folder. */
    record Entry(String label, Path dir) {
        static Entry heading(String label) {
            return new Entry(label, null);
        }

        static Entry of(Path dir) {
            Path name = dir.getFileName();
            return new Entry(name == null ? dir.toString() : name.toString(), dir);
        }

        @Override
        public String toString() {
            return label;
        }
    }

    CheckpointPanel(Consumer<Path> open) {
        setId("checkpoint-panel");
        setSpacing(6);
        setPadding(new Insets(6));
        tree.setId("checkpoint-tree");
        tree.setShowRoot(false);
        for (TreeItem<Entry> group : List.of(samples, recent, runs)) {
            group.setExpanded(true);
            tree.getRoot().getChildren().add(group);
        }
        tree.setOnMouseClicked(e -> {
            TreeItem<Entry> item = tree.getSelectionModel().getSelectedItem();
            if (e.getClickCount() >= 2 && item != null && item.getValue().dir() != null) {
                open.accept(item.getValue().dir());
            }
        });
        tree.setOnKeyPressed(e -> {
            TreeItem<Entry> item = tree.getSelectionModel().getSelectedItem();
            if (e.getCode() == javafx.scene.input.KeyCode.ENTER && item != null && item.getValue().dir() != null) {
                open.accept(item.getValue().dir());
            }
        });
        Button openButton = new Button("Open folder…");
        openButton.setId("open-checkpoint");
        openButton.setMaxWidth(Double.MAX_VALUE);
        this.open = open;
        openButton.setOnAction(e -> chooseFolder());
        facts.setHgap(8);
        facts.setVgap(2);
        facts.setId("checkpoint-facts");
        VBox.setVgrow(tree, Priority.ALWAYS);
        getChildren().addAll(new Label("Checkpoints"), tree, openButton, new Label("Open checkpoint"), facts);
        for (Path p : SampleCheckpoints.list()) {
            samples.getChildren().add(new TreeItem<>(Entry.of(p)));
        }
    }

    /** Asks for a checkpoint folder and opens it. */
    void chooseFolder() {
        DirectoryChooser chooser = new DirectoryChooser();
        chooser.setTitle("Open a checkpoint folder (config.json + model.safetensors)");
        var chosen = chooser.showDialog(getScene().getWindow());
        if (chosen != null) {
            open.accept(chosen.toPath());
        }
    }

    void setRecent(List<String> paths) {
        recent.getChildren().clear();
        for (String p : paths) {
            if (Files.isDirectory(Path.of(p))) {
                recent.getChildren().add(new TreeItem<>(Entry.of(Path.of(p))));
            }
        }
    }

    /** A checkpoint a training run saved, listed under its run. */
    void addRunCheckpoint(Path dir) {
        boolean known = runs.getChildren().stream().anyMatch(i -> i.getValue().dir().equals(dir));
        if (!known) {
            runs.getChildren().add(new TreeItem<>(new Entry(dir.getParent() == null ? dir.toString()
                    : dir.getParent().getFileName() + "/" + dir.getFileName(), dir)));
        }
    }

    List<Path> runCheckpoints() {
        return runs.getChildren().stream().map(i -> i.getValue().dir()).toList();
    }

    List<Path> sampleCheckpoints() {
        return samples.getChildren().stream().map(i -> i.getValue().dir()).toList();
    }

    void show(OpenCheckpoint c) {
        facts.getChildren().clear();
        LoopConfig cfg = c.model().config();
        int row = 0;
        row = fact(row, "name", c.name());
        row = fact(row, "folder", c.dir().toAbsolutePath().toString());
        row = fact(row, "layers", Integer.toString(cfg.numLayers()));
        row = fact(row, "loop steps T", Integer.toString(cfg.totalUtSteps()));
        row = fact(row, "hidden", Integer.toString(cfg.hiddenSize()));
        row = fact(row, "heads (kv)", cfg.numHeads() + " (" + cfg.numKvHeads() + ")");
        row = fact(row, "vocab", Integer.toString(cfg.vocabSize()));
        row = fact(row, "parameters", humanCount(cfg.parameterCount()));
        row = fact(row, "tokenizer", c.tokenizer().map(t -> t.getClass().getSimpleName()).orElse("none (token ids)"));
        for (String w : c.warnings()) {
            row = fact(row, "warning", w);
        }
    }

    private int fact(int row, String key, String value) {
        Label k = new Label(key);
        k.getStyleClass().add("fact-key");
        k.setMinWidth(javafx.scene.layout.Region.USE_PREF_SIZE);
        Label v = new Label(value);
        v.setWrapText(true);
        v.setId("fact-" + key.replace(' ', '-').replace("(", "").replace(")", ""));
        facts.addRow(row, k, v);
        return row + 1;
    }

    static String humanCount(long n) {
        if (n >= 1_000_000_000L) {
            return String.format(Locale.ROOT, "%.2f B", n / 1e9);
        }
        if (n >= 1_000_000L) {
            return String.format(Locale.ROOT, "%.2f M", n / 1e6);
        }
        if (n >= 1_000L) {
            return String.format(Locale.ROOT, "%.1f k", n / 1e3);
        }
        return Long.toString(n);
    }
}
