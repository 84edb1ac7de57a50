package org.looplens.app.workbench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import org.jfree.chart.plot.CombinedDomainXYPlot;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import javafx.stage.DirectoryChooser;
import javafx.concurrent.WorkerStateEvent;
import javafx.geometry.Orientation;
import javafx.util.StringConverter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import javafx.application.Platform;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.collections.FXCollections;
import javafx.concurrent.Task;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.control.Button;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.control.ProgressBar;
import javafx.scene.control.SplitPane;
import javafx.scene.control.TextField;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.VBox;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.fx.ChartViewer;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;
import org.looplens.app.figures.ExitPdfHistoryFigure;
import org.looplens.app.figures.Figure;
import org.looplens.app.figures.TrainingCurvesFigure;
import org.looplens.engine.kernels.CpuKernels;
import org.looplens.engine.train.MetricsLog;
import org.looplens.engine.train.MetricsRecord;
import org.looplens.engine.train.Trainer;
import org.looplens.engine.train.TrainingListener;
import org.looplens.engine.train.TrainingOutcome;
import org.looplens.engine.train.TrainingSpecReader;

/**
 * Training runs: a spec as an editable property sheet (checked as it is edited), Start, Stop and
 * Resume, and live charts of the per-step losses, the expected depth, the exit distribution over
 * time, the learning rate and throughput, with a progress bar and ETA. Stop saves a resumable
 * checkpoint; Resume carries on from the newest one in the same run folder.
 */
final class TrainingView extends BorderPane {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Workbench workbench;
    private final ComboBox<Path> specs = new ComboBox<>();
    private final SpecSheet sheet = new SpecSheet();
    private final Label validation = new Label();
    private final TextField runFolder = new TextField();
    private final Button start = new Button("Start");
    private final Button stop = new Button("Stop");
    private final Button resume = new Button("Resume");
    private final ProgressBar progress = new ProgressBar(0);
    private final Label progressText = new Label("Not running");
    private final ChartViewer curves = new ChartViewer(null);
    private final ChartViewer exitHistory = new ChartViewer(null);
    private final ChartViewer rate = new ChartViewer(null);
    // Appended by the trainer's thread, read by the FX thread: a plain list under its own lock.
    private final List<MetricsRecord> records = Collections.synchronizedList(new ArrayList<>());
    private final List<String> events = new CopyOnWriteArrayList<>();
    private final ReadOnlyBooleanWrapper running = new ReadOnlyBooleanWrapper();
    private TrainingCurvesFigure.Series series;
    private final XYSeries lr = new XYSeries("learning rate");
    private final XYSeries throughput = new XYSeries("tokens/s");
    private Trainer trainer;
    private Task<TrainingOutcome> task;
    private TrainingSpecReader.Loaded lastLoaded;
    private Path specBase = Path.of(".");

    TrainingView(Workbench workbench) {
        this.workbench = workbench;
        setId("training");
        specs.setId("spec-choice");
        specs.setMaxWidth(Double.MAX_VALUE);
        specs.setItems(FXCollections.observableArrayList(sampleSpecs()));
        specs.setConverter(new StringConverter<>() {
            @Override
            public String toString(Path p) {
                return p == null ? "" : p.getFileName().toString();
            }

            @Override
            public Path fromString(String s) {
                return null;
            }
        });
        specs.valueProperty().addListener((o, a, p) -> {
            if (p != null) {
                loadSpec(p);
            }
        });
        validation.setId("spec-validation");
        validation.setWrapText(true);
        validation.getStyleClass().add("warning");
        runFolder.setId("run-folder");
        start.setId("start-training");
        stop.setId("stop-training");
        resume.setId("resume-training");
        start.setOnAction(e -> start(false));
        resume.setOnAction(e -> start(true));
        stop.setOnAction(e -> stop());
        stop.disableProperty().bind(running.not());
        start.disableProperty().bind(running);
        resume.disableProperty().bind(running);
        sheet.onEdit(this::validate);

        GridPane folder = new GridPane();
        folder.setHgap(6);
        folder.addRow(0, new Label("run folder"), runFolder);
        GridPane.setHgrow(runFolder, Priority.ALWAYS);
        Button openRun = new Button("Open run…");
        openRun.setId("open-run");
        openRun.setOnAction(e -> {
            DirectoryChooser chooser = new DirectoryChooser();
            chooser.setTitle("Open a training run folder (with metrics.jsonl)");
            var chosen = chooser.showDialog(getScene().getWindow());
            if (chosen != null) {
                try {
                    showRun(chosen.toPath());
                } catch (RuntimeException ex) {
                    workbench.notifier().failure("Opening the run", ex);
                }
            }
        });
        HBox buttons = new HBox(6, start, stop, resume, openRun);
        VBox left = new VBox(6, new Label("Spec"), specs, sheet, validation, folder, buttons);
        VBox.setVgrow(sheet, Priority.ALWAYS);
        left.setPadding(new Insets(6));
        left.setMinWidth(300);

        curves.setId("training-curves");
        exitHistory.setId("exit-history");
        rate.setId("learning-rate");
        progress.setId("training-progress");
        progress.setMaxWidth(Double.MAX_VALUE);
        progressText.setId("training-progress-text");
        HBox.setHgrow(progress, Priority.ALWAYS);
        HBox progressRow = new HBox(8, progress, progressText,
                ExportMenu.create("export-training", this::figure, workbench));
        progressRow.setAlignment(Pos.CENTER_LEFT);
        SplitPane lower = new SplitPane(exitHistory, rate);
        SplitPane charts = new SplitPane(curves, lower);
        charts.setOrientation(Orientation.VERTICAL);
        charts.setDividerPositions(0.6);
        VBox right = new VBox(6, progressRow, charts);
        VBox.setVgrow(charts, Priority.ALWAYS);
        right.setPadding(new Insets(6));
        SplitPane split = new SplitPane(left, right);
        split.setDividerPositions(0.3);
        setCenter(split);
        resetCharts(4);
        if (!specs.getItems().isEmpty()) {
            specs.getSelectionModel().select(0);
        }
    }

    private static List<Path> sampleSpecs() {
        return SampleCheckpoints.folder().map(f -> f.resolve("specs")).filter(Files::isDirectory).map(dir -> {
            try (Stream<Path> s = Files.list(dir)) {
                return s.filter(p -> p.getFileName().toString().endsWith(".json")
                        && !p.getFileName().toString().endsWith(".config.json")).sorted().toList();
            } catch (IOException e) {
                return List.<Path>of();
            }
        }).orElse(List.of());
    }

    /** Shows a spec file in the sheet and proposes a run folder for it. */
    void loadSpec(Path file) {
        try {
            ObjectNode json = (ObjectNode) JSON.readTree(file.toFile());
            specBase = file.toAbsolutePath().getParent();
            setSpec(json);
        } catch (IOException | ClassCastException e) {
            validation.setText(file + ": not a JSON object (" + e.getMessage() + ")");
        }
    }

    void setSpec(ObjectNode json) {
        sheet.setSpec(json);
        String name = json.path("name").asText("run");
        runFolder.setText(Path.of("runs", name).toString());
        validate();
    }

    ObjectNode spec() {
        return sheet.spec();
    }

    void setRunFolder(Path dir) {
        runFolder.setText(dir.toString());
    }

    /** Checks the edited spec; the message names the field, and Start stays off until it passes. */
    private boolean validate() {
        try {
            lastLoaded = TrainingSpecReader.fromJson(sheet.spec(), "the spec", specBase);
            validation.setText("");
            return true;
        } catch (RuntimeException e) {
            lastLoaded = null;
            validation.setText(Notifier.describe(e));
            return false;
        }
    }

    String validationMessage() {
        return validation.getText();
    }

    /** Starts a run (or resumes the one in the run folder) in the background. */
    void start(boolean resumeExisting) {
        if (!validate()) {
            workbench.notifier().info("Spec not valid", validation.getText());
            return;
        }
        Path dir = Path.of(runFolder.getText().isBlank() ? "runs/" + lastLoaded.spec().name() : runFolder.getText());
        if (!resumeExisting && Files.isDirectory(dir) && hasCheckpoint(dir)) {
            workbench.notifier().info("Run folder in use", dir + " holds a run: Resume it, or choose another folder");
            return;
        }
        TrainingSpecReader.Loaded loaded = lastLoaded;
        int loopSteps = loaded.spec().model().config() != null
                ? loaded.spec().model().config().path("total_ut_steps").asInt(4) : 4;
        records.clear();
        resetCharts(loopSteps);
        Trainer t = new Trainer(loaded, dir, CpuKernels.shared(), new Listener());
        trainer = t;
        running.set(true);
        task = new Task<>() {
            @Override
            protected TrainingOutcome call() {
                updateTitle("Training " + loaded.spec().name());
                return t.run();
            }

            @Override
            public boolean cancel(boolean mayInterrupt) {
                // Cancel means stop at the end of this step and save a resumable checkpoint.
                t.cancel();
                updateMessage("stopping: saving a resumable checkpoint");
                return true;
            }
        };
        workbench.work().train(task, outcome -> {
            running.set(false);
            events.add("finished " + outcome.status());
            progressText.setText(outcome.message());
            workbench.notifier().info("Training " + outcome.status().name().toLowerCase(Locale.ROOT), outcome.message());
        });
        task.addEventHandler(WorkerStateEvent.WORKER_STATE_FAILED, e -> running.set(false));
    }

    private static boolean hasCheckpoint(Path dir) {
        return Files.isDirectory(dir.resolve("checkpoints")) || Files.isRegularFile(dir.resolve("training.json"));
    }

    /** Shows a finished (or stopped) run's curves from its metrics log, and makes it the run folder. */
    void showRun(Path dir) {
        List<MetricsRecord> saved = MetricsLog.read(dir);
        int loopSteps = saved.isEmpty() ? 4 : saved.get(0).stepLosses().length;
        records.clear();
        resetCharts(loopSteps);
        records.addAll(saved);
        plot(saved);
        runFolder.setText(dir.toString());
        if (!saved.isEmpty()) {
            MetricsRecord last = saved.get(saved.size() - 1);
            progressText.setText(String.format(Locale.ROOT, "%s: %d steps logged, last loss %.3f", dir.getFileName(),
                    last.step(), last.loss()));
        }
    }

    /** Asks the run to stop after its current step; it saves a resumable checkpoint first. */
    void stop() {
        if (trainer != null) {
            trainer.cancel();
            progressText.setText("Stopping: saving a resumable checkpoint…");
        }
    }

    ReadOnlyBooleanProperty runningProperty() {
        return running.getReadOnlyProperty();
    }

    /** The records received so far in this run. */
    List<MetricsRecord> records() {
        synchronized (records) {
            return List.copyOf(records);
        }
    }

    /** What the run reported, in order ("started …", "logged N", "checkpoint N", "finished …"). */
    List<String> events() {
        return List.copyOf(events);
    }

    Figure figure() {
        List<MetricsRecord> all = records();
        return all.isEmpty() ? null : TrainingCurvesFigure.of(all);
    }

    private void resetCharts(int loopSteps) {
        series = TrainingCurvesFigure.Series.empty(loopSteps);
        curves.setChart(TrainingCurvesFigure.chart(series));
        exitHistory.setChart(ExitPdfHistoryFigure.chart(List.of(), loopSteps));
        lr.clear();
        throughput.clear();
        rate.setChart(rateChart());
        progress.setProgress(0);
    }

    /**
     * Adds records to the charts (on the FX thread). The exit-distribution map is redrawn once per
     * batch from every record so far, not once per record.
     */
    private void plot(List<MetricsRecord> batch) {
        for (MetricsRecord r : batch) {
            series.add(r);
            lr.add(r.step(), r.learningRate());
            throughput.add(r.step(), r.tokensPerSecond());
        }
        if (!batch.isEmpty()) {
            exitHistory.setChart(ExitPdfHistoryFigure.chart(records(), batch.get(0).stepLosses().length));
        }
    }

    /** Learning rate above, training tokens per second below, against the optimiser step. */
    private JFreeChart rateChart() {
        CombinedDomainXYPlot plot =
                new CombinedDomainXYPlot(new NumberAxis("optimiser step"));
        plot.add(new XYPlot(new XYSeriesCollection(lr), null,
                new NumberAxis("learning rate"),
                new XYLineAndShapeRenderer(true, false)));
        NumberAxis tps = new NumberAxis("tokens/s");
        tps.setAutoRangeIncludesZero(true);
        plot.add(new XYPlot(new XYSeriesCollection(throughput), null, tps,
                new XYLineAndShapeRenderer(true, false)));
        return new JFreeChart("Learning rate and throughput", JFreeChart.DEFAULT_TITLE_FONT, plot, false);
    }

    /** Receives the trainer's events on its thread and hands them to the FX thread. */
    private final class Listener implements TrainingListener {
        private volatile int total = 1;

        @Override
        public void started(String name, int startStep, int totalSteps) {
            total = Math.max(1, totalSteps);
            events.add("started " + startStep + "/" + totalSteps);
            Platform.runLater(() -> {
                progress.setProgress((double) startStep / total);
                progressText.setText(startStep == 0 ? "Started" : "Resumed at step " + startStep);
            });
        }

        /** Records not yet drawn; the FX thread takes them all at once, however many arrived. */
        private final ConcurrentLinkedQueue<MetricsRecord> undrawn = new ConcurrentLinkedQueue<>();
        private final AtomicBoolean drawScheduled = new AtomicBoolean();

        @Override
        public void logged(MetricsRecord r) {
            records.add(r);
            events.add("logged " + r.step());
            undrawn.add(r);
            if (drawScheduled.compareAndSet(false, true)) {
                Platform.runLater(this::draw);
            }
        }

        private void draw() {
            drawScheduled.set(false);
            List<MetricsRecord> batch = new ArrayList<>();
            for (MetricsRecord r; (r = undrawn.poll()) != null; ) {
                batch.add(r);
            }
            if (batch.isEmpty()) {
                return;
            }
            plot(batch);
            MetricsRecord r = batch.get(batch.size() - 1);
            progress.setProgress((double) r.step() / total);
            progressText.setText(String.format(Locale.ROOT, "step %d/%d · loss %.3f · %.0f tok/s · ETA %s",
                    r.step(), total, r.loss(), r.tokensPerSecond(), eta(r.etaSeconds())));
        }

        @Override
        public void checkpointed(int step, Path folder) {
            events.add("checkpoint " + step);
            Platform.runLater(() -> workbench.runCheckpointSaved(folder));
        }

        @Override
        public void finished(TrainingOutcome outcome) {
            events.add("outcome " + outcome.status());
        }
    }

    static String eta(double seconds) {
        if (!Double.isFinite(seconds) || seconds < 0) {
            return "–";
        }
        long s = Math.round(seconds);
        return s >= 3600 ? String.format(Locale.ROOT, "%dh%02dm", s / 3600, (s % 3600) / 60)
                : String.format(Locale.ROOT, "%dm%02ds", s / 60, s % 60);
    }
}
