package org.looplens.app.workbench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javafx.stage.Stage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.looplens.engine.train.MetricsRecord;

/** A 20-step run from the training view: events arrive, Stop saves a checkpoint, Resume finishes it. */
class TrainingViewTest {
    static final String SPEC = """
            {"name": "view-test",
             "model": {"config": {"hidden_size": 32, "intermediate_size": 64, "num_hidden_layers": 1,
                       "num_attention_heads": 2, "num_key_value_heads": 2, "total_ut_steps": 3,
                       "max_position_embeddings": 32, "tie_word_embeddings": true}},
             "task": {"kind": "multihop", "entities": 12, "relations": 2, "kTrain": 2, "kTest": 2, "seed": 3},
             "phases": [{"objective": {"kind": "stage1", "beta": 0.1}, "steps": 20, "lr": 0.003, "warmup": 2}],
             "batch": {"size": 8},
             "seed": 5,
             "eval": {"every": 0, "examples": 16},
             "checkpoint": {"every": 4, "keep": 2},
             "logEvery": 2}
            """;

    @TempDir
    Path runs;
    private MainWindow window;

    @BeforeAll
    static void toolkit() {
        FxTest.startToolkit();
    }

    @BeforeEach
    void open() throws Exception {
        ObjectNode spec = (ObjectNode) new ObjectMapper().readTree(SPEC);
        window = FxTest.onFx(() -> new MainWindow(new Stage(), WorkbenchSettings.inMemory()));
        FxTest.runFx(() -> {
            window.training().setSpec(spec);
            window.training().setRunFolder(runs.resolve("run"));
        });
    }

    @AfterEach
    void close() {
        FxTest.runFx(() -> window.work().shutdown());
    }

    @Test
    void eventsArriveStopSavesAndResumeFinishes() {
        TrainingView view = window.training();
        assertEquals("", FxTest.onFx(view::validationMessage));
        FxTest.runFx(() -> view.start(false));
        FxTest.waitUntil("two metrics records", 60, () -> view.records().size() >= 2);
        FxTest.runFx(view::stop);
        FxTest.waitUntil("the run to stop", 60, () -> !view.runningProperty().get());
        List<String> firstEvents = view.events();
        assertTrue(firstEvents.contains("finished CANCELLED"), firstEvents.toString());
        int stoppedAt = view.records().get(view.records().size() - 1).step();
        assertTrue(stoppedAt < 20, "stopped at " + stoppedAt);
        assertTrue(Files.isDirectory(runs.resolve("run")), "run folder written");
        assertFalse(FxTest.onFx(() -> window.checkpointPanel().runCheckpoints().isEmpty()),
                "the saved checkpoint is listed in the checkpoint panel");

        FxTest.runFx(() -> view.start(true));
        FxTest.waitUntil("the resumed run to finish", 120,
                () -> !view.runningProperty().get() && view.events().contains("finished FINISHED"));
        List<MetricsRecord> resumed = view.records();
        assertEquals(20, resumed.get(resumed.size() - 1).step());
        assertTrue(resumed.get(0).step() > stoppedAt - 2, "resumed near step " + stoppedAt + ", first record "
                + resumed.get(0).step());
        assertTrue(view.events().stream().anyMatch(e -> e.startsWith("started ") && !e.startsWith("started 0/")),
                view.events().toString());
    }

    @Test
    void aBadSpecFieldIsNamedAndStartIsRefused() throws Exception {
        ObjectNode spec = (ObjectNode) new ObjectMapper().readTree(SPEC);
        ((ObjectNode) spec.get("batch")).put("size", -4);
        TrainingView view = window.training();
        FxTest.runFx(() -> view.setSpec(spec));
        String message = FxTest.onFx(view::validationMessage);
        assertTrue(message.contains("size"), message);
        FxTest.runFx(() -> view.start(false));
        assertFalse(FxTest.onFx(() -> view.runningProperty().get()));
        assertTrue(view.records().isEmpty());
    }
}
