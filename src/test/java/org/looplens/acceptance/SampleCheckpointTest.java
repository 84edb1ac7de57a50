package org.looplens.acceptance;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.looplens.app.cli.LoopLensCli;

/** The bundled sample opens in {@code looplens inspect} and is reproduced by its committed command. */
class SampleCheckpointTest {
    private static final Path ROOT = Path.of(System.getProperty("looplens.root", "../.."));
    private static final Path SAMPLE = ROOT.resolve("sample-checkpoints/tiny-random");

    @Test
    void inspectOpensTheSampleWithText() {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = LoopLensCli.execute(new String[] {"inspect", "--checkpoint", SAMPLE.toString(), "--text", "loop"},
                new PrintWriter(out), new PrintWriter(err));
        assertEquals(0, code, err.toString());
        String[] lines = out.toString().strip().split("\n");
        assertEquals(2 + 4, lines.length, "a title, a header and one row per character:\n" + out);
        assertTrue(lines[2].contains("'l'"), lines[2]);
    }

    @Test
    void theSampleIsReproducedByItsInitCommand(@TempDir Path tmp) throws Exception {
        Path again = tmp.resolve("tiny-random");
        // The arguments of sample-checkpoints/make-tiny-random.sh.
        String script = Files.readString(ROOT.resolve("sample-checkpoints/make-tiny-random.sh"));
        java.util.regex.Matcher seed = java.util.regex.Pattern.compile("--seed (\\d+)").matcher(script);
        java.util.regex.Matcher chars = java.util.regex.Pattern.compile("--chars \"([^\"]*)\"").matcher(script);
        assertTrue(seed.find() && chars.find(), "cannot read the arguments of make-tiny-random.sh");
        int code = LoopLensCli.execute(new String[] {"init",
                "--config", ROOT.resolve("sample-checkpoints/specs/tiny-random.config.json").toString(),
                "--out", again.toString(), "--seed", seed.group(1), "--chars", chars.group(1)},
                new PrintWriter(new StringWriter()), new PrintWriter(new StringWriter()));
        assertEquals(0, code);
        for (String f : new String[] {"model.safetensors", "config.json", "looplens-tokenizer.json"}) {
            assertArrayEquals(Files.readAllBytes(SAMPLE.resolve(f)), Files.readAllBytes(again.resolve(f)), f);
        }
    }
}
