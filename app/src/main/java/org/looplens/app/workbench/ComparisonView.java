package org.looplens.app.workbench;

import java.io.File;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.collections.FXCollections;
import javafx.concurrent.Task;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.control.Button;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.control.SplitPane;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableView;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.HBox;
import javafx.stage.DirectoryChooser;
import javafx.stage.FileChooser;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.fx.ChartViewer;
import org.looplens.app.compare.Comparison;
import org.looplens.app.compare.ComparisonReport;
import org.looplens.app.compare.ComparisonResult;
import org.looplens.app.compare.ExperimentSpecReader;
import org.looplens.app.compare.FlopsCostModel;
import org.looplens.app.compare.LoopAndCotFaithfulness;
import org.looplens.app.compare.MemberResult;
import org.looplens.app.figures.Figure;
import org.looplens.app.figures.FigureSize;
import org.looplens.app.figures.FigureTheme;
import org.looplens.engine.kernels.CpuKernels;
import org.looplens.engine.train.MetricsRecord;
import org.looplens.engine.train.TrainingListener;

/**
 * Loop depth versus chain of thought: runs an experiment spec (what {@code looplens compare}
 * does, training or reusing its members, resumable) or opens a finished report, and shows its
 * members and the report's charts (accuracy against compute, accuracy by difficulty,
 * faithfulness), each exportable.
 */
final class ComparisonView extends BorderPane {
    private final Workbench workbench;
    private final ReadOnlyObjectWrapper<ComparisonResult> result = new ReadOnlyObjectWrapper<>();
    private final ComboBox<Figure> figures = new ComboBox<>();
    private final ChartViewer chart = new ChartViewer(null);
    private final TableView<MemberResult> members = new TableView<>();
    private final Label summary = new Label("Open the output folder of looplens compare, or run an experiment spec.");
    private Task<?> running;

    ComparisonView(Workbench workbench) {
        this.workbench = workbench;
        setId("comparison");
        Button open = new Button("Open report…");
        open.setId("comparison-open");
        open.setOnAction(e -> chooseReport());
        Button run = new Button("Run experiment…");
        run.setId("comparison-run");
        run.setOnAction(e -> chooseExperiment());
        figures.setId("comparison-figure");
        figures.setConverter(new javafx.util.StringConverter<>() {
            @Override
            public String toString(Figure f) {
                return f == null ? "" : f.kind();
            }

            @Override
            public Figure fromString(String s) {
                return null;
            }
        });
        figures.valueProperty().addListener((o, a, f) -> chart.setChart(f == null ? null : f.chart()));
        HBox bar = new HBox(8, open, run, new Label("chart"), figures,
                ExportMenu.create("export-comparison", this::figureForExport, workbench));
        bar.setAlignment(Pos.CENTER_LEFT);
        bar.setPadding(new Insets(6));
        setTop(bar);
        members.setId("comparison-members");
        members.getColumns().setAll(List.of(
                column("model", MemberResult::name),
                column("kind", MemberResult::kind),
                column("loops × layers", m -> m.loops() + " × " + m.layers()),
                column("parameters", m -> String.format(Locale.ROOT, "%,d", m.parameters())),
                column("FLOPs / question", m -> String.format(Locale.ROOT, "%.3e", m.flopsPerQuestion())),
                column("accuracy", m -> String.format(Locale.ROOT, "%.3f", m.accuracy()))));
        members.setColumnResizePolicy(TableView.CONSTRAINED_RESIZE_POLICY_FLEX_LAST_COLUMN);
        chart.setId("comparison-chart");
        SplitPane body = new SplitPane(members, chart);
        body.setOrientation(javafx.geometry.Orientation.VERTICAL);
        body.setDividerPositions(0.3);
        setCenter(body);
        summary.setId("comparison-summary");
        summary.setPadding(new Insets(4, 6, 4, 6));
        setBottom(summary);
    }

    private static TableColumn<MemberResult, String> column(String title, java.util.function.Function<MemberResult, String> value) {
        TableColumn<MemberResult, String> c = new TableColumn<>(title);
        c.setCellValueFactory(d -> new javafx.beans.property.ReadOnlyStringWrapper(value.apply(d.getValue())));
        return c;
    }

    ReadOnlyObjectProperty<ComparisonResult> resultProperty() {
        return result.getReadOnlyProperty();
    }

    /** The chart on screen. */
    JFreeChart shownChart() {
        return chart.getChart();
    }

    List<Figure> figureChoices() {
        return List.copyOf(figures.getItems());
    }

    void selectFigure(String kind) {
        figures.getItems().stream().filter(f -> f.kind().equals(kind)).findFirst().ifPresent(figures::setValue);
    }

    List<MemberResult> shownMembers() {
        return List.copyOf(members.getItems());
    }

    /** Reads a finished comparison's results.json in the background and shows it. */
    Task<ComparisonResult> open(Path dir) {
        Task<ComparisonResult> task = new Task<>() {
            @Override
            protected ComparisonResult call() {
                updateTitle("Opening " + dir.getFileName());
                updateProgress(-1, 1);
                return ComparisonReport.read(dir);
            }
        };
        running = task;
        return workbench.work().inspect(task, r -> show(r, dir));
    }

    /**
     * Runs an experiment spec into {@code outDir} on the training lane: members train (or are
     * reused, or resume), then the report is written and shown. Cancel saves the member in training.
     */
    Task<ComparisonResult> run(Path spec, Path outDir) {
        Task<ComparisonResult> task = new Task<>() {
            /** Set by the worker, read by Cancel on the FX thread; one per run. */
            private volatile Comparison comparison;

            @Override
            protected ComparisonResult call() {
                updateTitle("Comparing " + spec.getFileName());
                updateProgress(-1, 1);
                TrainingListener listener = new TrainingListener() {
                    private int total = 1;

                    @Override
                    public void started(String name, int startStep, int totalSteps) {
                        total = Math.max(1, totalSteps);
                        updateMessage("training " + name);
                    }

                    @Override
                    public void logged(MetricsRecord r) {
                        updateProgress(r.step(), total);
                    }
                };
                var experiment = ExperimentSpecReader.read(spec);
                Comparison c = new Comparison(experiment, outDir, CpuKernels.shared(), new FlopsCostModel(),
                        new LoopAndCotFaithfulness(experiment.evaluation().noiseSigma()), listener, this::updateMessage);
                comparison = c;
                if (isCancelled()) {
                    c.cancel(); // cancelled before the comparison existed
                }
                return c.run().orElse(null);
            }

            /** Asks the comparison to stop rather than interrupting it, so the member in training saves a resumable checkpoint. */
            @Override
            public boolean cancel(boolean mayInterruptIfRunning) {
                Comparison c = comparison;
                if (c != null) {
                    c.cancel();
                }
                return super.cancel(false);
            }
        };
        running = task;
        summary.setText("Running " + spec.getFileName() + " into " + outDir + "…");
        task.addEventHandler(javafx.concurrent.WorkerStateEvent.WORKER_STATE_CANCELLED, e -> summary.setText(
                "Stopped; run the same experiment into " + outDir + " again to resume."));
        return workbench.work().train(task, r -> {
            if (r == null) {
                summary.setText("Stopped; run the same experiment into " + outDir + " again to resume.");
            } else {
                show(r, outDir);
            }
        });
    }

    Task<?> running() {
        return running;
    }

    String summaryText() {
        return summary.getText();
    }

    private void show(ComparisonResult r, Path dir) {
        result.set(r);
        members.getItems().setAll(r.members());
        List<Figure> shown = ComparisonReport.figures(r);
        shown.forEach(f -> FigureTheme.apply(f.chart(), FigureSize.SCREEN));
        figures.setItems(FXCollections.observableArrayList(shown));
        figures.setValue(shown.get(0));
        summary.setText(String.format(Locale.ROOT, "%s: %d models, %d faithfulness curves · %s", r.name(),
                r.members().size(), r.faithfulness().size(), dir));
    }

    /** The shown chart, rebuilt from the result so the print theme never restyles the screen. */
    private Figure figureForExport() {
        ComparisonResult r = result.get();
        Figure shown = figures.getValue();
        if (r == null || shown == null) {
            return null;
        }
        return ComparisonReport.figures(r).stream().filter(f -> f.kind().equals(shown.kind())).findFirst().orElse(null);
    }

    private void chooseReport() {
        DirectoryChooser chooser = new DirectoryChooser();
        chooser.setTitle("Open a comparison (the --out folder of looplens compare)");
        File dir = chooser.showDialog(workbench.window());
        if (dir != null) {
            open(dir.toPath());
        }
    }

    private void chooseExperiment() {
        FileChooser specChooser = new FileChooser();
        specChooser.setTitle("Experiment spec");
        specChooser.getExtensionFilters().add(new FileChooser.ExtensionFilter("Experiment spec", "*.json"));
        File spec = specChooser.showOpenDialog(workbench.window());
        if (spec == null) {
            return;
        }
        DirectoryChooser outChooser = new DirectoryChooser();
        outChooser.setTitle("Output folder (an earlier one resumes)");
        File out = outChooser.showDialog(workbench.window());
        if (out != null) {
            run(spec.toPath(), out.toPath());
        }
    }
}
