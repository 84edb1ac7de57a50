package org.looplens.app.workbench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import javafx.concurrent.Task;
import javafx.concurrent.Worker;
import javafx.stage.Stage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.looplens.app.cli.Analyses;
import org.looplens.app.cli.AnalysisResult;
import org.looplens.app.figures.FigureFormat;
import org.looplens.app.figures.FigureSize;
import org.looplens.app.inspect.OpenCheckpoint;

/**
 * The Analyses view on a bundled sample: every analysis kind is listed, runs from its settings
 * sheet in the background, shows exactly what the CLI computes, and exports; a long one cancels.
 */
class AnalysesViewTest {
    private static final Path SAMPLE = SampleCheckpoints.folder().orElseThrow().resolve("multihop-loop4");
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Small settings that make each kind quick on the sample; every kind must have an entry here. */
    static final Map<String, Map<String, String>> QUICK = quick();

    private static Map<String, Map<String, String>> quick() {
        Map<String, Map<String, String>> m = new LinkedHashMap<>();
        m.put("layer-lens", Map.of("--text", "<bos> e3 r1 r0 r2 ="));
        m.put("patching", Map.of("--clean", "<bos> e3 r1 r0 r2 =", "--corrupt", "<bos> e5 r1 r0 r2 =",
                "--target", "e11", "--distractor", "e12"));
        m.put("ablation", Map.of("--text", "<bos> e3 r1 r0 r2 =", "--target", "e11", "--distractor", "e12",
                "--ablate", "steps"));
        m.put("exit-sweep", Map.of("--questions", "24", "--points", "5"));
        m.put("exit-rules", Map.of("--questions", "24"));
        m.put("depth", Map.of("--questions", "24"));
        m.put("probes", Map.of("--questions", "100", "--target", "answer"));
        m.put("steering", Map.of("--text", "<bos> e5 r1 r0 r2 =", "--site", "3,step_hidden",
                "--clean", "<bos> e3 r1 r0 r2 =", "--corrupt", "<bos> e5 r1 r0 r2 =", "--strengths", "0,0.5,1"));
        m.put("trajectories", Map.of("--questions", "24", "--steps", "6"));
        m.put("exit-depth", Map.of("--questions", "24"));
        return m;
    }

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
        FxTest.runFx(() -> window.showView("analyses"));
    }

    @AfterEach
    void close() {
        FxTest.runFx(() -> window.work().shutdown());
    }

    @Test
    void everyAnalysisOfTheCliIsListedAndCoveredHere() {
        Set<String> cli = new TreeSet<>(Analyses.kinds().stream().map(Analyses.Kind::name).toList());
        assertEquals(cli, new TreeSet<>(FxTest.onFx(() -> window.analyses().kindNames())));
        assertEquals(cli, new TreeSet<>(QUICK.keySet()), "each analysis needs quick settings in this test");
        assertEquals("analyses", FxTest.onFx(() -> window.shownView()));
    }

    /** Each kind's sheet builds an editor for every option (ControlsFX editors refuse null values). */
    @Test
    void everySettingsSheetBuildsItsEditors() {
        for (Analyses.Kind k : Analyses.kinds()) {
            int rows = FxTest.onFx(() -> {
                window.analyses().select(k.name());
                // From the root: the tab's content joins the scene graph only once the tab pane has its skin.
                javafx.scene.Parent root = window.scene().getRoot();
                root.applyCss();
                root.layout();
                return window.analyses().settings().getItems().size();
            });
            assertEquals(k.settings().size(), rows, k.name());
            assertTrue(rows > 0, k.name());
        }
    }

    static List<String> kinds() {
        return List.copyOf(QUICK.keySet());
    }

    @ParameterizedTest
    @MethodSource("kinds")
    void theViewShowsWhatTheCliComputesAndExportsIt(String kind, @TempDir Path tmp) throws Exception {
        AnalysisResult shown = runInView(kind);
        List<String> args = new ArrayList<>(List.of("--checkpoint", SAMPLE.toString()));
        QUICK.get(kind).forEach((k, v) -> {
            args.add(k);
            args.add(v);
        });
        OpenCheckpoint open = FxTest.onFx(() -> window.current());
        AnalysisResult cli = Analyses.run(kind, args, dir -> open);
        assertEquals(withoutTimings(cli.figure().data()), withoutTimings(shown.figure().data()));
        assertEquals(cli.figure().csv(), shown.figure().csv());
        assertEquals(cli.summary().replaceAll("[0-9.]+ s\\b", "# s"), shown.summary().replaceAll("[0-9.]+ s\\b", "# s"));
        assertSame(shown.figure().chart(), FxTest.onFx(() -> window.analyses().shownChart()));
        assertEquals(shown.summary(), FxTest.onFx(() ->
                ((javafx.scene.control.Label) window.analyses().lookup("#analysis-summary")).getText()));

        Path csv = tmp.resolve(kind + ".csv");
        Path png = tmp.resolve(kind + ".png");
        Task<Path> a = FxTest.onFx(() -> ExportMenu.export(shown.figure(), FigureFormat.CSV, FigureSize.ONE_COLUMN, csv, window));
        FxTest.waitUntil("the CSV export", 30, () -> FxTest.onFx(a::getState) == Worker.State.SUCCEEDED);
        assertEquals(shown.figure().csv(), Files.readString(csv));
        Task<Path> b = FxTest.onFx(() -> ExportMenu.export(shown.figure(), FigureFormat.PNG, FigureSize.ONE_COLUMN, png, window));
        FxTest.waitUntil("the PNG export", 30, () -> FxTest.onFx(b::getState) == Worker.State.SUCCEEDED);
        byte[] head = Arrays.copyOf(Files.readAllBytes(png), 4);
        assertEquals("\u0089PNG", new String(head, java.nio.charset.StandardCharsets.ISO_8859_1));
    }

    /** The figure's numbers as JSON without wall-clock times, which differ from run to run. */
    private static com.fasterxml.jackson.databind.JsonNode withoutTimings(Object data) {
        com.fasterxml.jackson.databind.JsonNode tree = JSON.valueToTree(data);
        strip(tree);
        return tree;
    }

    private static void strip(com.fasterxml.jackson.databind.JsonNode node) {
        if (node instanceof com.fasterxml.jackson.databind.node.ObjectNode o) {
            o.remove(o.properties().stream().map(Map.Entry::getKey).filter(k -> k.contains("seconds")).toList());
        }
        node.forEach(AnalysesViewTest::strip);
    }

    private AnalysisResult runInView(String kind) {
        FxTest.runFx(() -> {
            window.analyses().select(kind);
            QUICK.get(kind).forEach((k, v) -> window.analyses().settings().set(kind, k, v));
            window.analyses().run();
        });
        FxTest.waitUntil(kind + " to finish", 120, () -> {
            Task<AnalysisResult> t = FxTest.onFx(() -> window.analyses().running());
            return t != null && t.isDone() && FxTest.onFx(() -> window.analyses().resultProperty().get()) != null;
        });
        Task<AnalysisResult> task = FxTest.onFx(() -> window.analyses().running());
        assertEquals(Worker.State.SUCCEEDED, FxTest.onFx(task::getState));
        return FxTest.onFx(() -> window.analyses().resultProperty().get());
    }

    @Test
    void aBadSettingIsReportedNamingTheOptionAndNothingIsShown() {
        FxTest.runFx(() -> {
            window.analyses().select("exit-sweep");
            window.analyses().settings().set("exit-sweep", "--points", "1");
            window.analyses().run();
        });
        FxTest.waitUntil("the run to fail", 60, () -> {
            Task<AnalysisResult> t = FxTest.onFx(() -> window.analyses().running());
            return t != null && FxTest.onFx(t::getState) == Worker.State.FAILED;
        });
        Throwable e = FxTest.onFx(() -> window.analyses().running().getException());
        assertTrue(e.getMessage().contains("--points"), e.getMessage());
        assertEquals(null, FxTest.onFx(() -> window.analyses().resultProperty().get()));
    }

    @Test
    void aLongAnalysisCancelsPromptlyAndTheLaneRunsTheNextOne() {
        FxTest.runFx(() -> {
            window.analyses().select("depth");
            window.analyses().settings().set("depth", "--questions", "20000");
            window.analyses().run();
        });
        Task<AnalysisResult> longRun = FxTest.onFx(() -> window.analyses().running());
        FxTest.waitUntil("the run to start", 30, () -> FxTest.onFx(longRun::getState) == Worker.State.RUNNING);
        long start = System.nanoTime();
        FxTest.runFx(() -> longRun.cancel(true));
        assertEquals(Worker.State.CANCELLED, FxTest.onFx(longRun::getState));
        // The next job on the same lane can only start once the cancelled one has stopped computing.
        runInView("exit-rules");
        double seconds = (System.nanoTime() - start) / 1e9;
        assertTrue(seconds < 30, "the cancelled run held the lane for " + seconds + " s");
        assertNotNull(FxTest.onFx(() -> window.analyses().resultProperty().get()));
    }
}
