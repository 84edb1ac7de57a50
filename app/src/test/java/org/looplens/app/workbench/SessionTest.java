package org.looplens.app.workbench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import javafx.stage.Stage;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.looplens.analyses.lens.LensQuantity;
import org.looplens.engine.InvalidInputException;

/** A workspace saved to JSON reopens as it was; a broken file is refused by name. */
class SessionTest {
    private static final Path SAMPLE = SampleCheckpoints.folder().orElseThrow().resolve("multihop-loop4");

    @TempDir
    Path dir;

    @BeforeAll
    static void toolkit() {
        FxTest.startToolkit();
    }

    @Test
    void aSavedSessionReopensWithItsCheckpointPromptAndControls() {
        MainWindow first = FxTest.onFx(() -> new MainWindow(new Stage(), WorkbenchSettings.inMemory()));
        FxTest.runFx(() -> first.open(SAMPLE));
        FxTest.waitUntil("the sample to open", 30, () -> first.current() != null);
        FxTest.runFx(() -> {
            first.inspector().setPrompt("3,17,9", true);
            first.inspector().applySettings(5, InspectorView.POLICY_Q, 0.7, 1, LensQuantity.ENTROPY);
            first.showView("training");
        });
        Path file = dir.resolve("work.looplens.json");
        Session.save(FxTest.onFx(first::sessionState), file);

        MainWindow second = FxTest.onFx(() -> new MainWindow(new Stage(), WorkbenchSettings.inMemory()));
        FxTest.runFx(() -> second.restore(Session.load(file)));
        FxTest.waitUntil("the restored inspection", 30, () -> second.inspector().resultProperty().get() != null);
        assertEquals(SAMPLE.toAbsolutePath().toString(), second.current().dir().toAbsolutePath().toString());
        assertEquals("3,17,9", FxTest.onFx(second.inspector()::promptText));
        assertEquals(5, FxTest.onFx(second.inspector()::stepsShown));
        assertEquals(InspectorView.POLICY_Q, FxTest.onFx(second.inspector()::policyName));
        assertEquals(0.7, FxTest.onFx(second.inspector()::q), 1e-12);
        assertEquals(LensQuantity.ENTROPY, FxTest.onFx(second.inspector()::quantity));
        assertEquals("training", FxTest.onFx(second::shownView));
        assertEquals(5, FxTest.onFx(() -> second.inspector().resultProperty().get().lens().steps()));
        FxTest.runFx(() -> {
            first.work().shutdown();
            second.work().shutdown();
        });
    }

    @Test
    void aBrokenSessionFileIsRefusedWithItsName() throws Exception {
        Path file = dir.resolve("broken.json");
        Files.writeString(file, "{\"checkpoint\": ");
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> Session.load(file));
        assertTrue(e.getMessage().contains("broken.json"), e.getMessage());
    }

    @Test
    void unreadableSettingsAreSetAsideNotLost() throws Exception {
        Files.writeString(dir.resolve(WorkbenchSettings.FILE), "not json");
        WorkbenchSettings s = WorkbenchSettings.load(dir);
        assertEquals("light", s.values().theme);
        assertEquals("not json", Files.readString(dir.resolve(WorkbenchSettings.FILE + ".unreadable")));
        s.remember(SAMPLE);
        s.save();
        assertEquals(SAMPLE.toAbsolutePath().normalize().toString(),
                WorkbenchSettings.load(dir).values().recentCheckpoints.get(0));
    }
}
