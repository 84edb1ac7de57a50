package org.looplens.app.workbench;

import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import javafx.beans.property.ObjectProperty;
import javafx.application.Platform;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.SimpleObjectProperty;
import javafx.collections.FXCollections;
import javafx.concurrent.Task;
import javafx.concurrent.WorkerStateEvent;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.control.Button;
import javafx.scene.control.CheckBox;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.control.Slider;
import javafx.scene.control.Spinner;
import javafx.scene.control.SplitPane;
import javafx.scene.control.TextField;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.FlowPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import org.jfree.chart.entity.XYItemEntity;
import org.jfree.chart.fx.ChartViewer;
import org.jfree.chart.fx.interaction.ChartMouseEventFX;
import org.jfree.chart.fx.interaction.ChartMouseListenerFX;
import org.jfree.chart.plot.XYPlot;
import org.jfree.data.xy.XYZDataset;
import org.looplens.analyses.lens.LensQuantity;
import org.looplens.analyses.lens.StepLens;
import org.looplens.app.cli.MemorySize;
import org.looplens.app.figures.ExitHeatmapFigure;
import org.looplens.app.figures.Figure;
import org.looplens.app.figures.FigureSize;
import org.looplens.app.figures.FigureTheme;
import org.looplens.app.inspect.ChatPrompt;
import org.looplens.app.inspect.InspectSettings;
import org.looplens.app.inspect.LensGeneration;
import org.looplens.app.inspect.OneLineText;
import org.looplens.app.inspect.OpenCheckpoint;
import org.looplens.app.inspect.PromptInspection;
import org.looplens.app.inspect.TokenIds;
import org.looplens.engine.data.ChatMessages;
import org.looplens.engine.kernels.CpuKernels;
import org.looplens.engine.run.ExitPolicy;
import org.looplens.engine.run.MemoryPlan;
import org.looplens.engine.run.Sampling;

/**
 * The prompt inspector: a prompt in, a tokens × steps heatmap of what every loop step believes
 * out, with the exit step marked per token and the clicked cell's top-k predictions at every step
 * beside it. Changing a control recomputes in the background; the previous heatmap stays until
 * the new one arrives, and a result overtaken by a newer request is dropped. Generate continues
 * the prompt token by token, the heatmap growing with it.
 */
final class InspectorView extends BorderPane {
    static final String POLICY_LAST = "last step";
    static final String POLICY_MIXTURE = "expected (mixture)";
    static final String POLICY_Q = "q-exit (CDF ≥ q)";
    static final String POLICY_FIXED = "fixed step";

    private final Workbench workbench;
    private final ObjectProperty<OpenCheckpoint> checkpoint = new SimpleObjectProperty<>();
    private final ReadOnlyObjectWrapper<PromptInspection> result = new ReadOnlyObjectWrapper<>();
    private final TextField prompt = new TextField();
    private final CheckBox idsMode = new CheckBox("token ids");
    private final CheckBox chatMode = new CheckBox("chat");
    private final Spinner<Integer> steps = new Spinner<>(1, 64, 4);
    private final Label extrapolation = new Label();
    private final ComboBox<String> policy = new ComboBox<>(
            FXCollections.observableArrayList(POLICY_LAST, POLICY_MIXTURE, POLICY_Q, POLICY_FIXED));
    private final Slider q = new Slider(0, 1, 0.5);
    private final Label qValue = new Label();
    private final Spinner<Integer> fixedStep = new Spinner<>(1, 64, 1);
    private final ComboBox<LensQuantity> quantity = new ComboBox<>(FXCollections.observableArrayList(LensQuantity.values()));
    private final TextField target = new TextField();
    private final TextField memoryBudget = new TextField();
    private final ChartViewer heatmap = new ChartViewer(null);
    private final TopKPanel topK = new TopKPanel();
    private final Label summary = new Label("Open a checkpoint and type a prompt.");
    private final Spinner<Integer> maxNewTokens = new Spinner<>(1, 4096, 32);
    private final ReadOnlyBooleanWrapper generating = new ReadOnlyBooleanWrapper();
    private long requested;
    private Task<PromptInspection> running;

    InspectorView(Workbench workbench) {
        this.workbench = workbench;
        setId("inspector");
        prompt.setId("prompt");
        prompt.setPromptText("a prompt (\\n for a line break), token ids like 3,14,15 with 'token ids' ticked,"
                + " or a JSON chat with 'chat' ticked");
        HBox.setHgrow(prompt, Priority.ALWAYS);
        idsMode.setId("ids-mode");
        chatMode.setId("chat-mode");
        chatMode.setTooltip(new javafx.scene.control.Tooltip("The prompt is a chat as JSON, "
                + "[{\"role\": \"user\", \"content\": \"hi\"}]; Run or Generate formats it as ChatML"));
        idsMode.selectedProperty().addListener((o, was, now) -> chatMode.setSelected(chatMode.isSelected() && !now));
        chatMode.selectedProperty().addListener((o, was, now) -> idsMode.setSelected(idsMode.isSelected() && !now));
        steps.setId("steps");
        steps.setEditable(true);
        steps.setPrefWidth(80);
        extrapolation.setId("extrapolation");
        extrapolation.getStyleClass().add("warning");
        policy.setId("policy");
        policy.getSelectionModel().select(POLICY_LAST);
        q.setId("q");
        q.setPrefWidth(110);
        qValue.textProperty().bind(q.valueProperty().asString(Locale.ROOT, "q = %.2f"));
        fixedStep.setId("fixed-step");
        fixedStep.setPrefWidth(70);
        quantity.setId("quantity");
        target.setId("target");
        target.setPromptText("target token");
        target.setPrefColumnCount(6);
        target.setTooltip(new javafx.scene.control.Tooltip(
                "A token (id or text) whose probability and rank to follow through the steps: choose 'show' target p or rank"));
        target.setOnAction(e -> recomputeIfShown());
        memoryBudget.setId("memory-budget");
        memoryBudget.setPromptText("free heap");
        memoryBudget.setPrefColumnCount(6);
        memoryBudget.setTooltip(new javafx.scene.control.Tooltip("Memory a run may hold, e.g. 512m or 8g (empty: the"
                + " free heap). Step logits and hidden states beyond it spill to a memory-mapped file on disk;"
                + " a run whose own buffers need more is refused before it starts."));
        memoryBudget.setOnAction(e -> recomputeIfShown());
        quantity.getSelectionModel().select(LensQuantity.TOP1_PROB);
        quantity.setConverter(new javafx.util.StringConverter<>() {
            @Override
            public String toString(LensQuantity v) {
                return v == null ? "" : v.label();
            }

            @Override
            public LensQuantity fromString(String s) {
                return null;
            }
        });
        Button run = new Button("Run");
        run.setId("run-inspector");
        run.setDefaultButton(true);
        run.setOnAction(e -> recompute());
        prompt.setOnAction(e -> recompute());
        Button generate = new Button("Generate");
        generate.setId("generate");
        generate.setTooltip(new javafx.scene.control.Tooltip(
                "Continue the prompt greedily, token by token, until EOS or the limit (Cancel in the status bar)"));
        generate.setOnAction(e -> generate());
        generate.disableProperty().bind(generating);
        maxNewTokens.setId("max-new-tokens");
        maxNewTokens.setEditable(true);
        maxNewTokens.setPrefWidth(80);

        HBox promptRow = new HBox(6, new Label("Prompt"), prompt, idsMode, chatMode, run, generate, labelled("max", maxNewTokens));
        promptRow.setAlignment(Pos.CENTER_LEFT);
        FlowPane controls = new FlowPane(10, 6, labelled("T", steps), extrapolation, labelled("exit", policy),
                q, qValue, labelled("step", fixedStep), labelled("show", quantity), labelled("target", target),
                labelled("memory", memoryBudget), ExportMenu.create("export-heatmap", this::figure, workbench));
        controls.setAlignment(Pos.CENTER_LEFT);
        BorderPane top = new BorderPane(controls, promptRow, null, null, null);
        BorderPane.setMargin(controls, new Insets(6, 0, 0, 0));
        top.setPadding(new Insets(6));
        setTop(top);
        heatmap.setId("heatmap");
        SplitPane body = new SplitPane(heatmap, topK);
        body.setDividerPositions(0.58);
        SplitPane.setResizableWithParent(topK, false);
        setCenter(body);
        summary.setId("inspector-summary");
        summary.setPadding(new Insets(4, 6, 4, 6));
        setBottom(summary);

        updatePolicyControls();
        policy.valueProperty().addListener((o, a, b) -> {
            updatePolicyControls();
            recomputeIfShown();
        });
        q.valueChangingProperty().addListener((o, was, now) -> {
            if (!now) {
                recomputeIfShown();
            }
        });
        fixedStep.valueProperty().addListener((o, a, b) -> recomputeIfShown());
        steps.valueProperty().addListener((o, a, b) -> {
            updateExtrapolationFlag();
            recomputeIfShown();
        });
        quantity.valueProperty().addListener((o, a, b) -> redraw());
        checkpoint.addListener((o, a, c) -> {
            if (c != null) {
                int trained = c.model().config().totalUtSteps();
                steps.getValueFactory().setValue(trained);
                q.setValue(c.model().config().earlyExitThreshold());
                idsMode.setSelected(c.tokenizer().isEmpty());
                updateExtrapolationFlag();
                recomputeIfShown();
            }
        });
        heatmap.addChartMouseListener(new ChartMouseListenerFX() {
            @Override
            public void chartMouseClicked(ChartMouseEventFX event) {
                if (event.getEntity() instanceof XYItemEntity item && item.getSeriesIndex() == 0
                        && item.getDataset() instanceof XYZDataset && result.get() != null) {
                    int steps = result.get().lens().steps();
                    select(item.getItem() / steps, item.getItem() % steps);
                }
            }

            @Override
            public void chartMouseMoved(ChartMouseEventFX event) {
            }
        });
    }

    private static HBox labelled(String label, javafx.scene.Node control) {
        HBox box = new HBox(4, new Label(label), control);
        box.setAlignment(Pos.CENTER_LEFT);
        return box;
    }

    ObjectProperty<OpenCheckpoint> checkpointProperty() {
        return checkpoint;
    }

    /** The inspection on screen (null before the first). */
    ReadOnlyObjectProperty<PromptInspection> resultProperty() {
        return result.getReadOnlyProperty();
    }

    /** Sets the prompt text and whether it is token ids, without running. */
    void setPrompt(String text, boolean ids) {
        idsMode.setSelected(ids);
        prompt.setText(text);
    }

    /** Ticks or unticks chat mode (the prompt field holds a JSON chat), without running. */
    void setChatMode(boolean chat) {
        chatMode.setSelected(chat);
    }

    /**
     * In chat mode, replaces the JSON chat in the prompt field by its ChatML text (with the
     * assistant's turn opened) and leaves chat mode, so what runs, is saved and is suggested to
     * the analyses is plain text. False (with a notification) when the chat cannot be formatted.
     */
    private boolean formatChat(OpenCheckpoint c) {
        if (!chatMode.isSelected()) {
            return true;
        }
        try {
            String chatml = ChatPrompt.text(c.dir(), ChatMessages.parseJson(prompt.getText(), "chat"), true);
            chatMode.setSelected(false);
            idsMode.setSelected(false);
            prompt.setText(OneLineText.escape(chatml));
            return true;
        } catch (RuntimeException e) {
            workbench.notifier().failure("Chat", e);
            return false;
        }
    }

    String promptText() {
        return prompt.getText();
    }

    boolean idsMode() {
        return idsMode.isSelected();
    }

    InspectSettings settings() {
        OpenCheckpoint c = checkpoint.get();
        int trained = c == null ? 0 : c.model().config().totalUtSteps();
        int t = steps.getValue();
        String wanted = target.getText();
        int targetId = c == null || wanted == null || wanted.isBlank() ? StepLens.NO_TARGET : c.token(wanted, "target");
        String budget = memoryBudget.getText();
        long bytes = budget == null || budget.isBlank() ? 0 : MemorySize.parse(budget, "memory budget");
        return new InspectSettings(t == trained ? 0 : t, exitPolicy(), TopKPanel.K, targetId, bytes);
    }

    /** The memory budget as typed (empty: the free heap). */
    String memoryBudgetText() {
        return memoryBudget.getText();
    }

    /** Sets the memory budget's text, without running. */
    void setMemoryBudget(String text) {
        memoryBudget.setText(text == null ? "" : text);
    }

    String targetText() {
        return target.getText();
    }

    /** Sets the target token's text (an id or a token), without running. */
    void setTarget(String text) {
        target.setText(text == null ? "" : text);
    }

    void applySettings(int t, String policyName, double qValue, int fixed, LensQuantity shown) {
        if (t > 0) {
            steps.getValueFactory().setValue(t);
        }
        policy.getSelectionModel().select(policyName);
        q.setValue(qValue);
        fixedStep.getValueFactory().setValue(Math.max(1, fixed));
        quantity.getSelectionModel().select(shown);
    }

    /** Puts an inspection's settings into the controls (for a result computed elsewhere). */
    void showSettings(InspectSettings settings, int trainedSteps) {
        steps.getValueFactory().setValue(settings.steps() == 0 ? trainedSteps : settings.steps());
        switch (settings.exitPolicy()) {
            case ExitPolicy.QExit qe -> {
                policy.getSelectionModel().select(POLICY_Q);
                q.setValue(qe.q());
            }
            case ExitPolicy.FixedStep f -> {
                policy.getSelectionModel().select(POLICY_FIXED);
                fixedStep.getValueFactory().setValue(f.step() + 1);
            }
            case ExitPolicy.Mixture m -> policy.getSelectionModel().select(POLICY_MIXTURE);
            default -> policy.getSelectionModel().select(POLICY_LAST);
        }
    }

    String policyName() {
        return policy.getValue();
    }

    double q() {
        return q.getValue();
    }

    int fixedStep() {
        return fixedStep.getValue();
    }

    int stepsShown() {
        return steps.getValue();
    }

    LensQuantity quantity() {
        return quantity.getValue();
    }

    void setQuantity(LensQuantity qty) {
        quantity.getSelectionModel().select(qty);
    }

    private ExitPolicy exitPolicy() {
        return switch (policy.getValue()) {
            case POLICY_MIXTURE -> ExitPolicy.mixture();
            case POLICY_Q -> ExitPolicy.qExit(q.getValue());
            case POLICY_FIXED -> ExitPolicy.fixedStep(fixedStep.getValue() - 1);
            default -> ExitPolicy.lastStep();
        };
    }

    private void updatePolicyControls() {
        boolean isQ = POLICY_Q.equals(policy.getValue());
        q.setDisable(!isQ);
        qValue.setDisable(!isQ);
        fixedStep.setDisable(!POLICY_FIXED.equals(policy.getValue()));
    }

    private void updateExtrapolationFlag() {
        OpenCheckpoint c = checkpoint.get();
        int trained = c == null ? Integer.MAX_VALUE : c.model().config().totalUtSteps();
        extrapolation.setText(steps.getValue() > trained ? "extrapolating beyond the trained T = " + trained : "");
    }

    private void recomputeIfShown() {
        if (result.get() != null || running != null) {
            recompute();
        }
    }

    /** What a run of the prompt needs, read from the controls on the FX thread. */
    private record Request(OpenCheckpoint checkpoint, boolean ids, String input, InspectSettings settings) {}

    /** The controls as a request, or null after telling the user what is missing ({@code noPrompt}). */
    private Request request(String noPrompt) {
        OpenCheckpoint c = checkpoint.get();
        if (c == null) {
            workbench.notifier().info("No checkpoint", "open a checkpoint first");
            return null;
        }
        String text = prompt.getText();
        if (text == null || text.isBlank()) {
            workbench.notifier().info("No prompt", noPrompt);
            return null;
        }
        if (!formatChat(c)) {
            return null;
        }
        boolean ids = idsMode.isSelected();
        String input = ids ? prompt.getText() : OneLineText.unescape(prompt.getText());
        try {
            return new Request(c, ids, input, settings());
        } catch (RuntimeException e) {
            workbench.notifier().failure("Inspector settings", e);
            return null;
        }
    }

    /** Runs the prompt with the current controls in the background; the newest request wins. */
    void recompute() {
        Request r = request("type a prompt (or token ids) first");
        if (r == null) {
            return;
        }
        OpenCheckpoint c = r.checkpoint();
        boolean ids = r.ids();
        String input = r.input();
        InspectSettings settings = r.settings();
        long generation = ++requested;
        if (running != null) {
            running.cancel(false); // not yet started: skipped; already computing: its result is dropped
        }
        Task<PromptInspection> task = new Task<>() {
            @Override
            protected PromptInspection call() {
                updateTitle("Inspecting");
                updateMessage(c.name() + ", T = " + (settings.steps() == 0 ? c.model().config().totalUtSteps() : settings.steps()));
                updateProgress(-1, 1);
                int[] tokens = PromptInspection.tokens(c, ids ? null : input, ids ? input : null);
                return PromptInspection.run(c, tokens, settings, CpuKernels.shared());
            }
        };
        running = task;
        workbench.work().inspect(task, inspection -> {
            if (generation == requested) {
                running = null;
                show(inspection);
            }
        });
        task.addEventHandler(WorkerStateEvent.WORKER_STATE_FAILED, e -> {
            if (running == task) {
                running = null;
            }
        });
    }

    /** True from Generate until the last generated token is on screen. */
    ReadOnlyBooleanProperty generatingProperty() {
        return generating.getReadOnlyProperty();
    }

    void setMaxNewTokens(int n) {
        maxNewTokens.getValueFactory().setValue(n);
    }

    /**
     * Continues the prompt greedily in the background, stopping at the checkpoint's EOS ids, the
     * token limit or Cancel. Each new token is appended to the prompt field and the heatmap grows
     * by its column, read off the decode session's own run of the token ({@link LensGeneration}).
     * A new state is posted only when the screen has taken the previous one, so a slow redraw
     * skips intermediate states instead of queueing them; the newest state is always shown last.
     */
    void generate() {
        Request r = request("type a prompt (or token ids) to continue");
        if (r == null) {
            return;
        }
        OpenCheckpoint c = r.checkpoint();
        boolean ids = r.ids();
        String input = r.input();
        InspectSettings settings = r.settings();
        int limit = maxNewTokens.getValue();
        long generation = ++requested; // an inspection still in flight is overtaken
        if (running != null) {
            running.cancel(false);
            running = null;
        }
        generating.set(true);
        AtomicBoolean onScreen = new AtomicBoolean(true);
        AtomicBoolean started = new AtomicBoolean();
        Task<PromptInspection> task = new Task<>() {
            @Override
            protected PromptInspection call() {
                started.set(true);
                AtomicReference<PromptInspection> newest = new AtomicReference<>();
                try {
                    updateTitle("Generating");
                    updateMessage(c.name());
                    updateProgress(0, limit);
                    int[] promptIds = PromptInspection.tokens(c, ids ? null : input, ids ? input : null);
                    int promptLength = promptIds.length;
                    LensGeneration.run(c, promptIds, settings, limit, Sampling.greedy(), CpuKernels.shared(),
                            (token, soFar) -> {
                                int made = soFar.lens().length() - promptLength;
                                updateMessage(c.name() + ": " + made + " / " + limit + " tokens");
                                updateProgress(made, limit);
                                newest.set(soFar);
                                if (onScreen.getAndSet(false)) { // the field's text only for states shown
                                    String field = fieldText(c, ids, soFar);
                                    Platform.runLater(() -> {
                                        showGenerated(generation, field, soFar);
                                        onScreen.set(true);
                                    });
                                }
                                return !isCancelled();
                            });
                } finally {
                    // The newest state last, in case the screen was busy with an earlier one (or
                    // Cancel's interrupt cut the run short), then the end of generating.
                    PromptInspection last = newest.get();
                    String field = last == null ? null : fieldText(c, ids, last);
                    Platform.runLater(() -> {
                        if (last != null) {
                            showGenerated(generation, field, last);
                        }
                        generating.set(false);
                    });
                }
                return null;
            }
        };
        running = task; // a Run now cancels the generation, which stops at its next token
        workbench.work().inspect(task, none -> forget(task));
        task.addEventHandler(WorkerStateEvent.WORKER_STATE_FAILED, e -> {
            forget(task);
            generating.set(false);
        });
        task.addEventHandler(WorkerStateEvent.WORKER_STATE_CANCELLED, e -> {
            forget(task);
            if (!started.get()) { // cancelled while queued: call() never runs to post the end
                generating.set(false);
            }
        });
    }

    /** Drops a finished task from {@link #running} unless a newer one has taken its place. */
    private void forget(Task<PromptInspection> task) {
        if (running == task) {
            running = null;
        }
    }

    /** The prompt field's text for a generation so far: its token ids, or its decoded text on one line. */
    private static String fieldText(OpenCheckpoint c, boolean ids, PromptInspection soFar) {
        int[] tokens = soFar.lens().tokens();
        return ids ? TokenIds.format(tokens) : OneLineText.escape(c.tokenizer().map(t -> t.decode(tokens)).orElse(""));
    }

    private void showGenerated(long generation, String field, PromptInspection inspection) {
        if (generation == requested) {
            prompt.setText(field);
            show(inspection);
        }
    }

    /** Shows a finished inspection as if it had just been computed here. */
    void showResult(PromptInspection inspection) {
        show(inspection);
    }

    private void show(PromptInspection inspection) {
        result.set(inspection);
        redraw();
        select(inspection.lens().length() - 1, inspection.lens().steps() - 1);
        var lens = inspection.lens();
        MemoryPlan memory = inspection.memory();
        summary.setText(String.format(Locale.ROOT, "%d tokens × %d steps%s · exit: %s · click a cell for its top-%d%s",
                lens.length(), lens.steps(), lens.extrapolated() ? " (extrapolated)" : "", policy.getValue(), TopKPanel.K,
                memory == null ? "" : " · " + memory.describe()));
    }

    private void redraw() {
        PromptInspection r = result.get();
        if (r != null && quantity.getValue().needsTarget() && r.lens().target() == StepLens.NO_TARGET) {
            summary.setText("Type a target token (an id or its text) to show its " + quantity.getValue().label() + ".");
            return;
        }
        if (r != null) {
            Figure f = figure();
            FigureTheme.apply(f.chart(), FigureSize.SCREEN);
            heatmap.setChart(f.chart());
        }
    }

    /** The heatmap figure of what is on screen, or null. */
    Figure figure() {
        PromptInspection r = result.get();
        if (r == null || quantity.getValue().needsTarget() && r.lens().target() == StepLens.NO_TARGET) {
            return null;
        }
        return ExitHeatmapFigure.of(r.lens(), quantity.getValue(), r.tokenLabels());
    }

    /** The value the heatmap shows at (position, step), read back from the chart's data. */
    double shownValue(int position, int step) {
        XYPlot plot = heatmap.getChart().getXYPlot();
        XYZDataset data = (XYZDataset) plot.getDataset(0);
        return data.getZValue(0, ExitHeatmapFigure.itemIndex(result.get().lens(), position, step));
    }

    /** Shows the top-k predictions of every step at a position, the chosen step highlighted. */
    void select(int position, int step) {
        PromptInspection r = result.get();
        if (r != null) {
            topK.show(r, position, step);
        }
    }

    TopKPanel topKPanel() {
        return topK;
    }

    List<String> tokenLabels() {
        return result.get() == null ? List.of() : result.get().tokenLabels();
    }
}
