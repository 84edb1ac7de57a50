package org.looplens.app.workbench;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import javafx.concurrent.Task;
import javafx.stage.Stage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.looplens.app.bench.OuroShapedCheckpoint;
import org.looplens.app.inspect.OneLineText;
import org.looplens.app.inspect.OpenCheckpoint;
import org.looplens.engine.data.Tokenizer;
import org.looplens.engine.kernels.CpuKernels;
import org.looplens.engine.run.Generator;
import org.looplens.engine.run.LoopRunner;
import org.looplens.engine.run.RunOptions;
import org.looplens.engine.run.Sampling;

/** Generate in the inspector: the engine's greedy tokens appear one by one, Cancel stops them, the FX thread keeps pulsing. */
class InspectorGenerationTest {
    private MainWindow window;

    @TempDir
    Path dir;

    @BeforeAll
    static void toolkit() {
        FxTest.startToolkit();
    }

    @AfterEach
    void close() {
        if (window != null) {
            FxTest.runFx(() -> window.work().shutdown());
        }
    }

    private void open(Path checkpoint) {
        window = FxTest.onFx(() -> new MainWindow(new Stage(), WorkbenchSettings.inMemory()));
        FxTest.runFx(() -> window.open(checkpoint));
        FxTest.waitUntil("the checkpoint to open", 30, () -> window.current() != null);
    }

    /** The lens lengths the heatmap showed, in order. */
    private List<Integer> recordShownLengths() {
        List<Integer> lengths = new ArrayList<>();
        FxTest.runFx(() -> window.inspector().resultProperty().addListener((o, a, r) -> lengths.add(r.lens().length())));
        return lengths;
    }

    @Test
    void theCotSampleGeneratesTheEnginesGreedyChain() {
        Path cot = SampleCheckpoints.folder().orElseThrow().resolve("multihop-cot");
        open(cot);
        String prompt = "<bos> e3 r1 r0 r2 ?";
        List<Integer> lengths = recordShownLengths();
        FxTest.runFx(() -> {
            window.inspector().setPrompt(prompt, false);
            window.inspector().setMaxNewTokens(20);
            window.inspector().generate();
        });
        FxTest.waitUntil("generation to end", 60, () -> !window.inspector().generatingProperty().get());

        OpenCheckpoint c = OpenCheckpoint.open(cot);
        Tokenizer tok = c.tokenizer().orElseThrow();
        int[] ids = tok.encode(prompt);
        int[] generated = new Generator(new LoopRunner(c.model(), CpuKernels.shared())).generate(ids, 20,
                Sampling.greedy(), RunOptions.defaults(), Set.of(2), null).generated();
        int[] all = Arrays.copyOf(ids, ids.length + generated.length);
        System.arraycopy(generated, 0, all, ids.length, generated.length);
        List<String> expected = Arrays.stream(all).mapToObj(c::tokenText).toList();

        assertEquals(expected, FxTest.onFx(() -> window.inspector().tokenLabels()));
        assertEquals("<eos>", expected.getLast());
        assertEquals(tok.decode(all), FxTest.onFx(() -> window.inspector().promptText())); // no line breaks to show
        assertArrayEquals(all, FxTest.onFx(() -> window.inspector().resultProperty().get().lens().tokens()));
        assertEquals(ids.length + 1, lengths.getFirst(), "the first new token is shown on its own: " + lengths);
        assertEquals(all.length, lengths.getLast());
        assertTrue(lengths.size() >= 2, "the heatmap grew while generating: " + lengths);
    }

    @Test
    void aJsonChatIsFormattedAsChatMlAndRunAsItsSpecialTokens() {
        Path ckpt = OuroShapedCheckpoint.write(dir.resolve("ouro-shaped-chat"), 1, 32);
        open(ckpt);
        FxTest.runFx(() -> {
            window.inspector().setPrompt("[{\"role\": \"system\", \"content\": \"Be brief.\"},"
                    + " {\"role\": \"user\", \"content\": \"hi\"}]", false);
            window.inspector().setChatMode(true);
            window.inspector().recompute();
        });
        FxTest.waitUntil("the inspection", 30, () -> window.inspector().resultProperty().get() != null);
        String chatml = "<|im_start|>system\nBe brief.<|im_end|>\n<|im_start|>user\nhi<|im_end|>\n<|im_start|>assistant\n";
        // The one-line field shows the line breaks as \n.
        assertEquals(OneLineText.escape(chatml), FxTest.onFx(() -> window.inspector().promptText()));
        assertEquals("<|im_start|>system\\nBe brief.<|im_end|>\\n<|im_start|>user\\nhi<|im_end|>\\n<|im_start|>assistant\\n",
                OneLineText.escape(chatml));
        int[] ids = OpenCheckpoint.open(ckpt).tokenizer().orElseThrow().encode(chatml);
        assertEquals(40, ids.length);
        assertArrayEquals(ids, FxTest.onFx(() -> window.inspector().resultProperty().get().lens().tokens()));
        assertEquals("<|im_start|>", FxTest.onFx(() -> window.inspector().tokenLabels().getFirst()));
    }

    /** Run during a generation stops it at its next token and shows the new inspection. */
    @Test
    void runningAPromptStopsAGenerationInFlight() {
        open(OuroShapedCheckpoint.write(dir.resolve("ouro-shaped"), 2, 64));
        List<Integer> lengths = recordShownLengths();
        FxTest.runFx(() -> {
            window.inspector().setPrompt("1,118,124,118,119,104,112,13", true);
            window.inspector().setMaxNewTokens(4000);
            window.inspector().generate();
        });
        FxTest.waitUntil("some tokens", 60, () -> !lengths.isEmpty() && lengths.getLast() >= 8 + 4);
        Task<?> generation = FxTest.onFx(() -> window.work().currentProperty().get());
        assertEquals("Generating", FxTest.onFx(generation::getTitle));
        FxTest.runFx(() -> {
            window.inspector().setPrompt("5,6,7", true);
            window.inspector().recompute();
        });
        FxTest.waitUntil("generation to stop", 60, () -> !window.inspector().generatingProperty().get());
        assertTrue(generation.isCancelled(), "Run cancelled the generation rather than waiting for it to end");
        FxTest.waitUntil("the new inspection", 60, () -> window.inspector().resultProperty().get().lens().length() == 3);
        assertArrayEquals(new int[] {5, 6, 7}, FxTest.onFx(() -> window.inspector().resultProperty().get().lens().tokens()));
        assertEquals("5,6,7", FxTest.onFx(() -> window.inspector().promptText()), "the stopped generation left the field alone");
    }

    @Test
    void cancelStopsGenerationAndTheFxThreadNeverStalls() {
        open(OuroShapedCheckpoint.write(dir.resolve("ouro-shaped"), 2, 64));
        List<Integer> lengths = recordShownLengths();
        StallWatchdog watchdog = new StallWatchdog();
        FxTest.runFx(() -> {
            window.inspector().setPrompt("1,118,124,118,119,104,112,13", true);
            window.inspector().setMaxNewTokens(4000);
            System.gc(); // start the window from a collected heap: earlier work's garbage is not this test's
            watchdog.start();
            window.inspector().generate();
        });
        FxTest.waitUntil("some tokens", 60, () -> !lengths.isEmpty() && lengths.getLast() >= 8 + 8);
        Task<?> running = FxTest.onFx(() -> window.work().currentProperty().get());
        assertEquals("Generating", FxTest.onFx(running::getTitle), "the status bar shows the generation");
        FxTest.runFx(() -> running.cancel(true)); // what the status bar's Cancel does
        FxTest.waitUntil("generation to stop", 30, () -> !window.inspector().generatingProperty().get());
        int stoppedAt = FxTest.onFx(() -> window.inspector().tokenLabels().size());
        FxTest.runFx(watchdog::stop);
        assertTrue(stoppedAt < 8 + 4000, "cancelled well before the limit: " + stoppedAt);
        assertEquals(stoppedAt, lengths.getLast());
        assertEquals(stoppedAt, FxTest.onFx(() -> window.inspector().promptText().split(",").length),
                "the prompt field holds every shown token");
        FxTest.runFx(() -> { });
        assertEquals(null, FxTest.onFx(() -> window.work().currentProperty().get()), "the status bar is Ready");
        watchdog.assertNoStall();
    }
}
