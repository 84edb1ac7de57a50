package org.looplens.app.workbench;

import java.util.List;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.SimpleObjectProperty;
import javafx.concurrent.Task;
import javafx.concurrent.WorkerStateEvent;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.ListCell;
import javafx.scene.control.ListView;
import javafx.scene.control.SplitPane;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.VBox;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.fx.ChartViewer;
import org.looplens.app.cli.Analyses;
import org.looplens.app.cli.AnalysisResult;
import org.looplens.app.figures.Figure;
import org.looplens.app.inspect.OpenCheckpoint;

/**
 * Every {@code looplens analyze} kind in one view: pick an analysis, edit its settings (the same
 * options as its command, with the same help), run it in the background with Cancel in the status
 * bar, and see and export its figure. The view and the CLI run the same code, so a figure here is
 * the figure {@code analyze KIND --out F.png} writes.
 */
final class AnalysesView extends BorderPane {
    private final Workbench workbench;
    private final ObjectProperty<OpenCheckpoint> checkpoint = new SimpleObjectProperty<>();
    private final ReadOnlyObjectWrapper<AnalysisResult> result = new ReadOnlyObjectWrapper<>();
    private final ListView<Analyses.Kind> kinds = new ListView<>();
    private final AnalysisSettings settings = new AnalysisSettings();
    private final Label description = new Label();
    private final ChartViewer chart = new ChartViewer(null);
    private final Label summary = new Label("Pick an analysis, check its settings and press Run.");
    private final Button run = new Button("Run analysis");
    private Task<AnalysisResult> running;

    AnalysesView(Workbench workbench) {
        this.workbench = workbench;
        setId("analyses");
        kinds.setId("analysis-kinds");
        kinds.getItems().setAll(Analyses.kinds());
        kinds.setCellFactory(v -> new ListCell<>() {
            @Override
            protected void updateItem(Analyses.Kind k, boolean empty) {
                super.updateItem(k, empty);
                setText(empty || k == null ? null : k.name());
                setTooltip(empty || k == null ? null : new Tooltip(k.description()));
            }
        });
        kinds.getSelectionModel().selectedItemProperty().addListener((o, a, k) -> {
            if (k != null) {
                settings.show(k);
                description.setText(k.description());
            }
        });
        kinds.setPrefWidth(150);
        description.setWrapText(true);
        description.setId("analysis-description");
        run.setId("analysis-run");
        run.setDefaultButton(true);
        run.setOnAction(e -> run());
        run.disableProperty().bind(checkpoint.isNull());
        HBox buttons = new HBox(8, run, ExportMenu.create("export-analysis", this::figure, workbench));
        buttons.setAlignment(Pos.CENTER_LEFT);
        VBox side = new VBox(6, description, settings, buttons);
        side.setPadding(new Insets(6));
        VBox.setVgrow(settings, javafx.scene.layout.Priority.ALWAYS);
        chart.setId("analysis-chart");
        SplitPane body = new SplitPane(kinds, side, chart);
        body.setDividerPositions(0.14, 0.45);
        setCenter(body);
        summary.setId("analysis-summary");
        summary.setWrapText(true);
        summary.setPadding(new Insets(4, 6, 4, 6));
        setBottom(summary);
        kinds.getSelectionModel().selectFirst();
    }

    ObjectProperty<OpenCheckpoint> checkpointProperty() {
        return checkpoint;
    }

    /** The last result shown (null before the first). */
    ReadOnlyObjectProperty<AnalysisResult> resultProperty() {
        return result.getReadOnlyProperty();
    }

    /** Selects an analysis by its command name. */
    void select(String name) {
        kinds.getItems().stream().filter(k -> k.name().equals(name)).findFirst()
                .ifPresentOrElse(k -> kinds.getSelectionModel().select(k),
                        () -> { throw new IllegalArgumentException("no analysis " + name); });
    }

    String selected() {
        Analyses.Kind k = kinds.getSelectionModel().getSelectedItem();
        return k == null ? null : k.name();
    }

    List<String> kindNames() {
        return kinds.getItems().stream().map(Analyses.Kind::name).toList();
    }

    /** The chart on screen (null before the first result). */
    JFreeChart shownChart() {
        return chart.getChart();
    }

    AnalysisSettings settings() {
        return settings;
    }

    /** The running job, if any (for Cancel in tests; the status bar cancels the same task). */
    Task<AnalysisResult> running() {
        return running;
    }

    /** Runs the selected analysis with the sheet's values on the open checkpoint, in the background. */
    void run() {
        OpenCheckpoint open = checkpoint.get();
        String name = selected();
        if (open == null || name == null) {
            return;
        }
        if (running != null && running.isRunning()) {
            running.cancel(true);
        }
        List<String> args = new java.util.ArrayList<>(List.of("--checkpoint", open.dir().toString()));
        args.addAll(settings.arguments());
        Task<AnalysisResult> task = new Task<>() {
            @Override
            protected AnalysisResult call() {
                updateTitle("Analysis: " + name);
                updateProgress(-1, 1);
                // The open checkpoint is handed over: no second load of its weights.
                return Analyses.run(name, args, dir -> dir.equals(open.dir()) ? open : OpenCheckpoint.open(dir));
            }
        };
        running = task;
        summary.setText("Running " + name + "…");
        workbench.work().inspect(task, r -> {
            result.set(r);
            chart.setChart(r.figure().chart());
            summary.setText(r.summary());
        });
        task.addEventHandler(WorkerStateEvent.WORKER_STATE_CANCELLED, e -> summary.setText(name + " cancelled."));
    }

    /** The shown figure for export, on a copy of its chart: the print theme must not restyle the screen. */
    private Figure figure() {
        AnalysisResult r = result.get();
        if (r == null) {
            return null;
        }
        Figure f = r.figure();
        try {
            return new Figure(f.kind(), (JFreeChart) f.chart().clone(), f.csv(), f.data());
        } catch (CloneNotSupportedException e) {
            return f;
        }
    }
}
