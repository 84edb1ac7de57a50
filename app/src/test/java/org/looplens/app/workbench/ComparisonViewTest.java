package org.looplens.app.workbench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javafx.concurrent.Task;
import javafx.concurrent.Worker;
import javafx.stage.Stage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.looplens.app.compare.ComparisonReport;
import org.looplens.app.compare.ComparisonResult;
import org.looplens.app.figures.Figure;
import org.looplens.app.figures.FigureFormat;
import org.looplens.app.figures.FigureSize;

/**
 * The Depth vs CoT view runs an experiment in the background (training its members), shows the
 * report's members and charts exactly as written to results.json, opens a finished report, and
 * stops a run resumably.
 */
class ComparisonViewTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** A tiny experiment: four members of one layer, trained for {@code steps} steps each. */
    static String spec(int steps) {
        return """
                {
                  "name": "tiny",
                  "task": {"kind": "multihop", "entities": 8, "relations": 2, "kTrain": 2, "kTest": 3, "seed": 2},
                  "model": {"config": {"hidden_size": 16, "intermediate_size": 32, "num_hidden_layers": 1,
                            "num_attention_heads": 2, "num_key_value_heads": 1, "max_position_embeddings": 32}},
                  "training": {
                    "loopPhases": [{"objective": {"kind": "stage1"}, "steps": STEPS, "lr": 0.003, "warmup": 2}],
                    "phases": [{"objective": {"kind": "ce"}, "steps": STEPS, "lr": 0.003, "warmup": 2}],
                    "batch": {"size": 8}, "seed": 1, "eval": {"every": 0, "examples": 16},
                    "checkpoint": {"every": 5, "keep": 2}, "logEvery": 5
                  },
                  "members": [{"kind": "loop", "loops": 3}, {"kind": "flat"}, {"kind": "deep", "loops": 3}, {"kind": "cot"}],
                  "evaluation": {"questions": 24, "timingQuestions": 4, "exitPoints": 5, "bootstrap": 20}
                }
                """.replace("STEPS", Integer.toString(steps));
    }

    @TempDir
    Path dir;
    private MainWindow window;

    @BeforeAll
    static void toolkit() {
        FxTest.startToolkit();
    }

    @BeforeEach
    void open() {
        window = FxTest.onFx(() -> new MainWindow(new Stage(), WorkbenchSettings.inMemory()));
        FxTest.runFx(() -> window.showView("comparison"));
    }

    @AfterEach
    void close() {
        FxTest.runFx(() -> window.work().shutdown());
    }

    private <T> T finish(Task<T> task, String what) {
        FxTest.waitUntil(what, 240, task::isDone);
        Throwable failure = FxTest.onFx(task::getException);
        assertEquals(Worker.State.SUCCEEDED, FxTest.onFx(task::getState), () -> String.valueOf(failure));
        return FxTest.onFx(task::getValue);
    }

    @Test
    void anExperimentRunsShowsItsReportAndOpensAgain() throws Exception {
        Path spec = dir.resolve("tiny.json");
        Files.writeString(spec, spec(20));
        Path out = dir.resolve("out");
        ComparisonResult r = finish(FxTest.onFx(() -> window.comparison().run(spec, out)), "the comparison");
        assertEquals("comparison", FxTest.onFx(() -> window.shownView()));
        ComparisonResult written = ComparisonReport.read(out);
        assertEquals(JSON.writeValueAsString(written), JSON.writeValueAsString(r));
        assertEquals(List.of("loop3", "flat", "deep3", "cot"),
                FxTest.onFx(() -> window.comparison().shownMembers()).stream().map(m -> m.name()).toList());
        List<Figure> figures = FxTest.onFx(() -> window.comparison().figureChoices());
        assertEquals(List.of("accuracy-compute", "accuracy-by-difficulty", "faithfulness"),
                figures.stream().map(Figure::kind).toList());
        // three for the loop; the barely trained CoT member may write no well-formed chain to plant a mistake in
        assertEquals(List.of("early-exit", "corrupt-step", "noise-1.0", "early-answering", "filler-tokens"),
                written.faithfulness().stream().map(c -> c.test()).toList().subList(0, 5));
        for (Figure f : figures) {
            FxTest.runFx(() -> window.comparison().selectFigure(f.kind()));
            assertSame(f.chart(), FxTest.onFx(() -> window.comparison().shownChart()));
            // the chart shows what the report's CSV holds
            assertEquals(Files.readString(out.resolve("figures").resolve(f.kind() + ".csv")), f.csv());
        }
        Path csv = dir.resolve("exported.csv");
        Figure shown = figures.get(figures.size() - 1);
        finish(FxTest.onFx(() -> ExportMenu.export(shown, FigureFormat.CSV, FigureSize.ONE_COLUMN, csv, window)), "export");
        assertEquals(shown.csv(), Files.readString(csv));

        MainWindow other = FxTest.onFx(() -> new MainWindow(new Stage(), WorkbenchSettings.inMemory()));
        ComparisonResult reopened = finish(FxTest.onFx(() -> other.comparison().open(out)), "opening the report");
        assertEquals(JSON.writeValueAsString(written), JSON.writeValueAsString(reopened));
        assertEquals(4, FxTest.onFx(() -> other.comparison().shownMembers()).size());
        FxTest.runFx(() -> other.work().shutdown());
    }

    @Test
    void aStoppedRunResumesWhereItStopped() throws Exception {
        Path spec = dir.resolve("tiny.json");
        Files.writeString(spec, spec(400));
        Path out = dir.resolve("out");
        Task<ComparisonResult> first = FxTest.onFx(() -> window.comparison().run(spec, out));
        FxTest.waitUntil("a first checkpoint", 120, () -> Files.isDirectory(out.resolve("models/loop3/checkpoints"))
                && listed(out.resolve("models/loop3/checkpoints")) > 0);
        FxTest.runFx(() -> first.cancel(true));
        FxTest.waitUntil("the stop", 60, () -> FxTest.onFx(() -> window.comparison().summaryText()).startsWith("Stopped"));
        assertEquals(Worker.State.CANCELLED, FxTest.onFx(first::getState));
        assertTrue(listed(out.resolve("models/loop3/checkpoints")) > 0, "the member in training left a resumable checkpoint");
        assertEquals(false, Files.exists(out.resolve("results.json")), "no report from a stopped run");
        assertEquals(false, Files.exists(out.resolve("models/flat")), "nothing after the stopped member started");
    }

    private static long listed(Path folder) {
        try (var s = Files.list(folder)) {
            return s.count();
        } catch (java.io.IOException e) {
            return 0;
        }
    }

    @Test
    void openingAFolderWithoutResultsIsANotification() {
        int before = FxTest.onFx(() -> window.notifier().messages().size());
        Task<ComparisonResult> t = FxTest.onFx(() -> window.comparison().open(dir));
        FxTest.waitUntil("the failure", 30, t::isDone);
        assertEquals(Worker.State.FAILED, FxTest.onFx(t::getState));
        FxTest.waitUntil("the notification", 10, () -> FxTest.onFx(() -> window.notifier().messages().size()) > before);
        assertNotNull(FxTest.onFx(() -> window.notifier().messages().get(window.notifier().messages().size() - 1)));
        assertEquals(null, FxTest.onFx(() -> window.comparison().resultProperty().get()));
    }
}
