package org.looplens.app.workbench;

import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import javafx.concurrent.Task;
import javafx.scene.Scene;
import javafx.scene.control.Alert;
import javafx.scene.control.ButtonType;
import javafx.scene.control.Menu;
import javafx.scene.control.MenuBar;
import javafx.scene.control.MenuItem;
import javafx.scene.control.SplitPane;
import javafx.scene.control.Tab;
import javafx.scene.control.TabPane;
import javafx.scene.input.KeyCombination;
import javafx.scene.layout.BorderPane;
import javafx.stage.FileChooser;
import javafx.stage.Stage;
import javafx.stage.Window;
import org.looplens.analyses.lens.LensQuantity;
import org.looplens.app.inspect.OneLineText;
import org.looplens.app.inspect.OpenCheckpoint;

/**
 * The workbench window: menus with shortcuts, the checkpoint panel, the views in tabs (prompt
 * inspector, training runs) and the status bar. Remembers its place, size, theme, the
 * inspector's memory budget and recent checkpoints; asks before closing over a running training
 * job and saves it resumably.
 */
public final class MainWindow implements Workbench {
    private final Stage stage;
    private final WorkbenchSettings settings;
    private final Notifier notifier;
    private final BackgroundWork work;
    private final CheckpointPanel checkpoints;
    private final InspectorView inspector;
    private final TrainingView training;
    private final AnalysesView analyses;
    private final ComparisonView comparison;
    private final TabPane views = new TabPane();
    private final Tab inspectorTab;
    private final Tab trainingTab;
    private final Tab analysesTab;
    private final Tab comparisonTab;
    private final SplitPane split;
    private final Scene scene;
    private OpenCheckpoint current;

    public MainWindow(Stage stage, WorkbenchSettings settings) {
        this.stage = stage;
        this.settings = settings;
        this.notifier = new Notifier(() -> stage);
        this.work = new BackgroundWork(notifier);
        this.checkpoints = new CheckpointPanel(this::open);
        this.inspector = new InspectorView(this);
        inspector.setMemoryBudget(settings.values().memoryBudget);
        this.training = new TrainingView(this);
        this.analyses = new AnalysesView(this);
        this.comparison = new ComparisonView(this);
        inspectorTab = new Tab("Prompt inspector", inspector);
        trainingTab = new Tab("Training runs", training);
        analysesTab = new Tab("Analyses", analyses);
        comparisonTab = new Tab("Depth vs CoT", comparison);
        inspectorTab.setId("tab-inspector");
        trainingTab.setId("tab-training");
        analysesTab.setId("tab-analyses");
        comparisonTab.setId("tab-comparison");
        inspectorTab.setClosable(false);
        trainingTab.setClosable(false);
        analysesTab.setClosable(false);
        comparisonTab.setClosable(false);
        views.getTabs().addAll(inspectorTab, trainingTab, analysesTab, comparisonTab);
        // An analysis that needs a prompt starts from the one in the inspector.
        analysesTab.setOnSelectionChanged(e -> {
            if (analysesTab.isSelected() && !inspector.promptText().isBlank()) {
                analyses.settings().suggest(inspector.idsMode() ? "--tokens" : "--text", inspector.idsMode()
                        ? inspector.promptText() : OneLineText.unescape(inspector.promptText()));
            }
        });
        checkpoints.setRecent(settings.values().recentCheckpoints);

        split = new SplitPane(checkpoints, views);
        split.setDividerPositions(settings.values().divider);
        BorderPane root = new BorderPane(split);
        root.setTop(menus());
        root.setBottom(new TaskStatusBar(work));
        scene = new Scene(root, settings.values().width, settings.values().height);
        Themes.apply(scene, settings.values().theme);
        stage.setTitle("LoopLens");
        stage.setScene(scene);
        placeWindow();
        stage.setOnCloseRequest(e -> {
            if (!confirmClose()) {
                e.consume();
            }
        });
    }

    private MenuBar menus() {
        MenuItem open = item("Open checkpoint…", "Shortcut+O", checkpoints::chooseFolder);
        MenuItem openSession = item("Open session…", "Shortcut+Shift+O", this::openSessionDialog);
        MenuItem saveSession = item("Save session…", "Shortcut+S", this::saveSessionDialog);
        MenuItem quit = item("Quit", "Shortcut+Q", () -> {
            if (confirmClose()) {
                stage.close();
            }
        });
        Menu file = new Menu("File", null, open, openSession, saveSession, quit);
        MenuItem run = item("Run prompt", "Shortcut+Enter", inspector::recompute);
        MenuItem showInspector = item("Prompt inspector", "Shortcut+1", () -> views.getSelectionModel().select(inspectorTab));
        MenuItem showTraining = item("Training runs", "Shortcut+2", () -> views.getSelectionModel().select(trainingTab));
        MenuItem showAnalyses = item("Analyses", "Shortcut+3", () -> views.getSelectionModel().select(analysesTab));
        MenuItem showComparison = item("Depth vs CoT", "Shortcut+4", () -> views.getSelectionModel().select(comparisonTab));
        MenuItem light = item("Light theme", null, () -> setTheme("light"));
        MenuItem dark = item("Dark theme", "Shortcut+Shift+D", () -> setTheme("dark"));
        Menu view = new Menu("View", null, run, showInspector, showTraining, showAnalyses, showComparison, light,
                dark);
        MenuBar bar = new MenuBar(file, view);
        bar.setId("menu-bar");
        return bar;
    }

    private static MenuItem item(String text, String accelerator, Runnable action) {
        MenuItem i = new MenuItem(text);
        if (accelerator != null) {
            i.setAccelerator(KeyCombination.keyCombination(accelerator));
        }
        i.setOnAction(e -> action.run());
        return i;
    }

    private void placeWindow() {
        WorkbenchSettings.Values v = settings.values();
        if (Double.isFinite(v.x) && Double.isFinite(v.y)) {
            stage.setX(v.x);
            stage.setY(v.y);
        }
        stage.setMaximized(v.maximized);
    }

    public void show() {
        stage.show();
        if (current == null && !checkpoints.sampleCheckpoints().isEmpty()) {
            open(checkpoints.sampleCheckpoints().get(0));
        }
    }

    void setTheme(String theme) {
        settings.values().theme = theme;
        Themes.apply(scene, theme);
    }

    String theme() {
        return settings.values().theme;
    }

    /** Loads a checkpoint in the background and hands it to the views. */
    public Task<OpenCheckpoint> open(Path dir) {
        return open(dir, () -> { });
    }

    /** Opens a checkpoint, then runs {@code then} on the FX thread once the views have it. */
    Task<OpenCheckpoint> open(Path dir, Runnable then) {
        Task<OpenCheckpoint> task = new Task<>() {
            @Override
            protected OpenCheckpoint call() {
                updateTitle("Opening " + dir.getFileName());
                updateProgress(-1, 1);
                return OpenCheckpoint.open(dir);
            }
        };
        return work.inspect(task, c -> {
            opened(c);
            then.run();
        });
    }

    /** Shows an already loaded checkpoint (snapshots load it themselves). */
    void showOpened(OpenCheckpoint c) {
        opened(c);
    }

    private void opened(OpenCheckpoint c) {
        current = c;
        checkpoints.show(c);
        inspector.checkpointProperty().set(c);
        analyses.checkpointProperty().set(c);
        stage.setTitle("LoopLens: " + c.name());
        settings.remember(c.dir());
        checkpoints.setRecent(settings.values().recentCheckpoints);
        c.warnings().forEach(w -> notifier.info("Checkpoint warning", w));
    }

    OpenCheckpoint current() {
        return current;
    }

    InspectorView inspector() {
        return inspector;
    }

    TrainingView training() {
        return training;
    }

    AnalysesView analyses() {
        return analyses;
    }

    ComparisonView comparison() {
        return comparison;
    }

    Scene scene() {
        return scene;
    }

    CheckpointPanel checkpointPanel() {
        return checkpoints;
    }

    void showView(String name) {
        views.getSelectionModel().select(switch (name == null ? "" : name) {
            case "training" -> trainingTab;
            case "analyses" -> analysesTab;
            case "comparison" -> comparisonTab;
            default -> inspectorTab;
        });
    }

    String shownView() {
        Tab shown = views.getSelectionModel().getSelectedItem();
        return shown == trainingTab ? "training" : shown == analysesTab ? "analyses"
                : shown == comparisonTab ? "comparison" : "inspector";
    }

    @Override
    public BackgroundWork work() {
        return work;
    }

    @Override
    public Notifier notifier() {
        return notifier;
    }

    @Override
    public Window window() {
        return stage;
    }

    @Override
    public void runCheckpointSaved(Path dir) {
        checkpoints.addRunCheckpoint(dir);
    }

    /** The workspace as a session: checkpoint, prompt, controls, training spec, front view. */
    Session.State sessionState() {
        Session.State s = new Session.State();
        s.checkpoint = current == null ? null : current.dir().toAbsolutePath().toString();
        s.prompt = inspector.promptText();
        s.tokenIds = inspector.idsMode();
        s.steps = inspector.stepsShown();
        s.exitPolicy = inspector.policyName();
        s.q = inspector.q();
        s.fixedStep = inspector.fixedStep();
        s.quantity = inspector.quantity().key();
        s.target = inspector.targetText();
        s.trainingSpec = training.spec();
        s.openView = shownView();
        return s;
    }

    /** Restores a session: opens its checkpoint, then sets the controls and runs the prompt. */
    void restore(Session.State s) {
        if (s.trainingSpec != null) {
            training.setSpec(s.trainingSpec);
        }
        showView(s.openView);
        Runnable controls = () -> {
            inspector.setPrompt(s.prompt == null ? "" : s.prompt, s.tokenIds);
            inspector.setTarget(s.target);
            inspector.applySettings(s.steps, s.exitPolicy, s.q, s.fixedStep, LensQuantity.parse(s.quantity));
            if (s.prompt != null && !s.prompt.isBlank()) {
                inspector.recompute();
            }
        };
        if (s.checkpoint != null) {
            open(Path.of(s.checkpoint), controls);
        } else {
            controls.run();
        }
    }

    private void saveSessionDialog() {
        FileChooser chooser = new FileChooser();
        chooser.setTitle("Save session");
        chooser.setInitialFileName("session.looplens.json");
        File f = chooser.showSaveDialog(stage);
        if (f != null) {
            try {
                Session.save(sessionState(), f.toPath());
                notifier.info("Session saved", f.toString());
            } catch (RuntimeException e) {
                notifier.failure("Saving the session", e);
            }
        }
    }

    private void openSessionDialog() {
        FileChooser chooser = new FileChooser();
        chooser.setTitle("Open session");
        File f = chooser.showOpenDialog(stage);
        if (f != null) {
            try {
                restore(Session.load(f.toPath()));
            } catch (RuntimeException e) {
                notifier.failure("Opening the session", e);
            }
        }
    }

    /** True when the window may close: nothing trains, or the user chose to stop the run. */
    boolean confirmClose() {
        if (training.runningProperty().get()) {
            Alert ask = new Alert(Alert.AlertType.CONFIRMATION,
                    "A training run is in progress. Stop it? A resumable checkpoint is saved first.",
                    ButtonType.YES, ButtonType.NO);
            ask.initOwner(stage);
            ask.setHeaderText("Stop training and close?");
            if (ask.showAndWait().orElse(ButtonType.NO) != ButtonType.YES) {
                return false;
            }
            // Close once the run has saved its checkpoint: the trainer's thread would not outlive the app.
            training.runningProperty().addListener((o, was, now) -> {
                if (!now) {
                    finishClose();
                }
            });
            training.stop();
            return false;
        }
        finishClose();
        return true;
    }

    private void finishClose() {
        WorkbenchSettings.Values v = settings.values();
        if (!stage.isMaximized() && stage.getWidth() > 0) {
            v.x = stage.getX();
            v.y = stage.getY();
            v.width = stage.getWidth();
            v.height = stage.getHeight();
        }
        v.maximized = stage.isMaximized();
        v.divider = split.getDividerPositions()[0];
        v.memoryBudget = inspector.memoryBudgetText();
        try {
            settings.save();
        } catch (IOException e) {
            notifier.failure("Saving settings", e);
        }
        work.shutdown();
        if (stage.isShowing()) {
            stage.hide();
        }
    }
}
