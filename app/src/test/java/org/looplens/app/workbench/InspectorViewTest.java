package org.looplens.app.workbench;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import javafx.stage.Stage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.looplens.analyses.lens.LensQuantity;
import org.looplens.analyses.lens.StepLens;
import org.looplens.app.inspect.PromptInspection;
import org.looplens.engine.kernels.CpuKernels;
import org.looplens.engine.model.Checkpoint;
import org.looplens.engine.model.LoopModel;
import org.looplens.engine.run.LoopRunner;
import org.looplens.engine.run.MemoryPlan;
import org.looplens.engine.run.RunOptions;
import org.looplens.engine.run.RunResult;
import org.looplens.engine.tensor.FloatTensor;
import org.looplens.engine.trace.CapturePlan;
import org.looplens.engine.trace.SiteKind;

/** The inspector on a bundled sample: its heatmap shows exactly the engine's numbers. */
class InspectorViewTest {
    private static final Path SAMPLE = SampleCheckpoints.folder().orElseThrow().resolve("multihop-loop4");
    private static final String PROMPT = "3,17,9,22,5";
    private MainWindow window;

    @BeforeAll
    static void toolkit() {
        FxTest.startToolkit();
    }

    @BeforeEach
    void open() {
        window = FxTest.onFx(() -> new MainWindow(new Stage(), WorkbenchSettings.inMemory()));
        FxTest.runFx(() -> window.open(SAMPLE));
        FxTest.waitUntil("the sample to open", 30, () -> window.current() != null);
    }

    @AfterEach
    void close() {
        FxTest.runFx(() -> window.work().shutdown());
    }

    private PromptInspection runPrompt() {
        FxTest.runFx(() -> {
            window.inspector().setPrompt(PROMPT, true);
            window.inspector().recompute();
        });
        FxTest.waitUntil("the inspection", 30, () -> window.inspector().resultProperty().get() != null);
        return FxTest.onFx(() -> window.inspector().resultProperty().get());
    }

    @Test
    void theHeatmapShowsTheEnginesNumbersForEveryQuantity() {
        runPrompt();
        LoopModel model = Checkpoint.load(SAMPLE);
        int[] tokens = {3, 17, 9, 22, 5};
        RunResult run = new LoopRunner(model, CpuKernels.shared()).forward(tokens,
                RunOptions.defaults().withCapture(CapturePlan.kinds(SiteKind.STEP_LOGITS)));
        int steps = model.config().totalUtSteps();
        for (int i = 0; i < tokens.length; i++) {
            for (int t = 0; t < steps; t++) {
                double[] p = softmax(run.stepLogits(t), i);
                double top = 0;
                double entropy = 0;
                for (double v : p) {
                    top = Math.max(top, v);
                    entropy -= v > 0 ? v * Math.log(v) : 0;
                }
                int position = i;
                int step = t;
                assertEquals(top, FxTest.onFx(() -> {
                    window.inspector().setQuantity(LensQuantity.TOP1_PROB);
                    return window.inspector().shownValue(position, step);
                }), 1e-9, "top-1 at " + i + "," + t);
                assertEquals(entropy, FxTest.onFx(() -> {
                    window.inspector().setQuantity(LensQuantity.ENTROPY);
                    return window.inspector().shownValue(position, step);
                }), 1e-9, "entropy at " + i + "," + t);
                assertEquals(run.lambda()[t][i], FxTest.onFx(() -> {
                    window.inspector().setQuantity(LensQuantity.LAMBDA);
                    return window.inspector().shownValue(position, step);
                }), 1e-9, "λ at " + i + "," + t);
                assertEquals(run.exit().pdf(i, t), FxTest.onFx(() -> {
                    window.inspector().setQuantity(LensQuantity.EXIT_PDF);
                    return window.inspector().shownValue(position, step);
                }), 1e-9, "p(t) at " + i + "," + t);
            }
            int last = steps - 1;
            int position = i;
            assertEquals(0, FxTest.onFx(() -> {
                window.inspector().setQuantity(LensQuantity.KL_TO_FINAL);
                return window.inspector().shownValue(position, last);
            }), 1e-12, "the final step is at zero KL from itself");
            assertEquals(1, FxTest.onFx(() -> {
                window.inspector().setQuantity(LensQuantity.FINAL_RANK);
                return window.inspector().shownValue(position, last);
            }), "the final answer ranks first at the final step");
        }
    }

    /** A target token's probability and rank at every step equal the engine's softmax of that step. */
    @Test
    void aTargetTokenIsFollowedThroughTheSteps() {
        int target = 22;
        FxTest.runFx(() -> window.inspector().setTarget(Integer.toString(target)));
        runPrompt();
        FxTest.waitUntil("the targeted inspection", 30,
                () -> window.inspector().resultProperty().get().lens().target() == target);
        int[] tokens = {3, 17, 9, 22, 5};
        RunResult run = new LoopRunner(Checkpoint.load(SAMPLE), CpuKernels.shared()).forward(tokens,
                RunOptions.defaults().withCapture(CapturePlan.kinds(SiteKind.STEP_LOGITS)));
        for (int i = 0; i < tokens.length; i++) {
            for (int t = 0; t < run.steps(); t++) {
                double[] p = softmax(run.stepLogits(t), i);
                int rank = 1;
                for (double v : p) {
                    rank += v > p[target] ? 1 : 0;
                }
                int position = i;
                int step = t;
                assertEquals(p[target], FxTest.onFx(() -> {
                    window.inspector().setQuantity(LensQuantity.TARGET_PROB);
                    return window.inspector().shownValue(position, step);
                }), 1e-9, "p(target) at " + i + "," + t);
                assertEquals(rank, FxTest.onFx(() -> {
                    window.inspector().setQuantity(LensQuantity.TARGET_RANK);
                    return window.inspector().shownValue(position, step);
                }), 0, "rank of the target at " + i + "," + t);
            }
        }
        assertEquals("22", FxTest.onFx(() -> window.sessionState().target));
    }

    @Test
    void clickingACellListsThatPositionsTopKAtEveryStep() {
        PromptInspection shown = runPrompt();
        FxTest.runFx(() -> window.inspector().select(2, 1));
        List<TopKPanel.Row> rows = FxTest.onFx(() -> List.copyOf(window.inspector().topKPanel().table().getItems()));
        assertEquals(shown.lens().steps(), rows.size());
        var readout = shown.lens().readout().positions().get(2);
        for (int t = 0; t < rows.size(); t++) {
            assertEquals(readout.steps().get(t).top1Prob(), rows.get(t).probs()[0], 1e-12);
            assertEquals(shown.checkpoint().tokenText(readout.steps().get(t).top1()), rows.get(t).tokens()[0]);
        }
        assertEquals(1, FxTest.onFx(() -> window.inspector().topKPanel().table().getSelectionModel().getSelectedIndex()));
    }

    @Test
    void moreStepsThanTrainedAreFlaggedAndComputed() {
        runPrompt();
        FxTest.runFx(() -> window.inspector().applySettings(6, InspectorView.POLICY_LAST, 0.5, 1, LensQuantity.TOP1_PROB));
        FxTest.waitUntil("the 6-step inspection", 30,
                () -> window.inspector().resultProperty().get().lens().steps() == 6);
        PromptInspection r = FxTest.onFx(() -> window.inspector().resultProperty().get());
        assertTrue(r.lens().extrapolated());
        String flag = FxTest.onFx(() -> ((javafx.scene.control.Label) window.inspector().lookup("#extrapolation")).getText());
        assertTrue(flag.contains("extrapolating"), flag);
    }

    @Test
    void aBadPromptIsANotificationAndTheLastResultStays() {
        PromptInspection before = runPrompt();
        int notes = window.notifier().messages().size();
        FxTest.runFx(() -> {
            window.inspector().setPrompt("3,99999", true);
            window.inspector().recompute();
        });
        FxTest.waitUntil("the failure notice", 30, () -> window.notifier().messages().size() > notes);
        String message = window.notifier().messages().get(window.notifier().messages().size() - 1);
        assertTrue(message.contains("99999"), message);
        assertFalse(message.contains("Exception"), message);
        assertEquals(before, FxTest.onFx(() -> window.inspector().resultProperty().get()));
    }

    /**
     * A budget typed in the memory field reaches the run: below the lens's captures, they spill to
     * disk, the summary says so, and the heatmap shows the same numbers as a run in memory.
     */
    @Test
    void aMemoryBudgetBelowTheCapturesSpillsThemAndShowsTheSameNumbers() {
        PromptInspection inMemory = runPrompt();
        assertFalse(inMemory.memory().spills());
        int[] tokens = {3, 17, 9, 22, 5};
        MemoryPlan plan = new LoopRunner(Checkpoint.load(SAMPLE), CpuKernels.shared()).memoryPlan(List.of(tokens),
                StepLens.lensOptions(inMemory.settings().runOptions()));
        assertEquals(plan.captureBytes(), inMemory.memory().captureBytes());
        long budget = plan.runBytes() + plan.captureBytes() / 2;
        List<Path> before = spillFiles();
        FxTest.runFx(() -> {
            ((javafx.scene.control.TextField) window.inspector().lookup("#memory-budget")).setText(Long.toString(budget));
            window.inspector().recompute();
        });
        FxTest.waitUntil("the budgeted inspection", 30,
                () -> window.inspector().resultProperty().get().settings().memoryBudget() == budget);
        PromptInspection spilled = FxTest.onFx(() -> window.inspector().resultProperty().get());
        assertTrue(spilled.memory().spills());
        String summary = FxTest.onFx(() -> ((javafx.scene.control.Label) window.inspector()
                .lookup("#inspector-summary")).getText());
        assertTrue(summary.contains(" spill to disk"), summary);
        for (LensQuantity q : List.of(LensQuantity.TOP1_PROB, LensQuantity.ENTROPY, LensQuantity.KL_TO_FINAL)) {
            double[][] want = inMemory.lens().grids().get(q);
            for (int i = 0; i < want.length; i++) {
                assertArrayEquals(want[i], spilled.lens().grids().get(q)[i], q + " row " + i);
            }
        }
        var want = inMemory.lens().readout().positions();
        var got = spilled.lens().readout().positions();
        for (int i = 0; i < want.size(); i++) {
            for (int t = 0; t < want.get(i).steps().size(); t++) {
                assertArrayEquals(want.get(i).steps().get(t).topTokens(), got.get(i).steps().get(t).topTokens());
                assertArrayEquals(want.get(i).steps().get(t).topProbs(), got.get(i).steps().get(t).topProbs());
            }
        }
        assertEquals(Long.toString(budget), FxTest.onFx(() -> window.inspector().memoryBudgetText()));
        assertEquals(before, spillFiles(), "the spill file leaves nothing in the temporary folder");
    }

    private static List<Path> spillFiles() {
        try (var files = java.nio.file.Files.list(Path.of(System.getProperty("java.io.tmpdir")))) {
            return files.filter(f -> f.getFileName().toString().startsWith("looplens-trace-")).sorted().toList();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void aBudgetThatIsNotASizeIsANotificationNamingTheField() {
        PromptInspection before = runPrompt();
        int notes = window.notifier().messages().size();
        FxTest.runFx(() -> {
            window.inspector().setMemoryBudget("lots");
            window.inspector().recompute();
        });
        FxTest.waitUntil("the failure notice", 30, () -> window.notifier().messages().size() > notes);
        String message = window.notifier().messages().get(window.notifier().messages().size() - 1);
        assertTrue(message.contains("memory budget: 'lots' is not a size"), message);
        assertEquals(before, FxTest.onFx(() -> window.inspector().resultProperty().get()));
    }

    @Test
    void theCheckpointPanelShowsTheOpenCheckpointsFacts() {
        LoopModel model = Checkpoint.load(SAMPLE);
        String steps = FxTest.onFx(() -> ((javafx.scene.control.Label) window.checkpointPanel()
                .lookup("#fact-loop-steps-T")).getText());
        String params = FxTest.onFx(() -> ((javafx.scene.control.Label) window.checkpointPanel()
                .lookup("#fact-parameters")).getText());
        assertEquals(Integer.toString(model.config().totalUtSteps()), steps);
        assertEquals(CheckpointPanel.humanCount(model.config().parameterCount()), params);
        assertTrue(FxTest.onFx(() -> window.checkpointPanel().sampleCheckpoints()).contains(SAMPLE));
    }

    @Test
    void theHeatmapExportsFromTheViewToEveryFormat(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        runPrompt();
        for (var format : org.looplens.app.figures.FigureFormat.values()) {
            Path out = dir.resolve("heatmap." + format.extension());
            FxTest.runFx(() -> ExportMenu.export(window.inspector().figure(), format,
                    org.looplens.app.figures.FigureSize.ONE_COLUMN, out, window));
            FxTest.waitUntil(format + " export", 30, () -> java.nio.file.Files.exists(out));
        }
        java.awt.image.BufferedImage png = javax.imageio.ImageIO.read(dir.resolve("heatmap.png").toFile());
        assertEquals(Math.round(3.5 * ExportMenu.PNG_DPI), png.getWidth());
        var svg = javax.xml.parsers.DocumentBuilderFactory.newInstance().newDocumentBuilder()
                .parse(dir.resolve("heatmap.svg").toFile());
        assertTrue(svg.getDocumentElement().getTextContent().contains("top-1 probability"));
        String pdf = java.nio.file.Files.readString(dir.resolve("heatmap.pdf"), java.nio.charset.StandardCharsets.ISO_8859_1);
        assertTrue(pdf.startsWith("%PDF-") && pdf.contains("/Page"));
        assertEquals(1 + 5 * 4, java.nio.file.Files.readAllLines(dir.resolve("heatmap.csv")).size());
    }

    private static double[] softmax(FloatTensor logits, int row) {
        int v = logits.dim(1);
        double max = Double.NEGATIVE_INFINITY;
        for (int j = 0; j < v; j++) {
            max = Math.max(max, logits.data()[row * v + j]);
        }
        double[] p = new double[v];
        double sum = 0;
        for (int j = 0; j < v; j++) {
            p[j] = Math.exp(logits.data()[row * v + j] - max);
            sum += p[j];
        }
        for (int j = 0; j < v; j++) {
            p[j] /= sum;
        }
        return p;
    }
}
