package org.looplens.acceptance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.looplens.app.cli.LoopLensCli;
import org.looplens.engine.io.SafetensorsFile;

/**
 * {@code looplens grad} reproduces the fixtures' Stage I and Stage II losses and gradients
 * (derived through the official model graph) within the README tolerances.
 */
class GoldenGradientTest {

    static java.util.stream.Stream<Arguments> sequences() throws Exception {
        return GoldenParityTest.sequences();
    }

    @ParameterizedTest(name = "{0} sequence {1}")
    @MethodSource("sequences")
    void gradMatchesTheOfficialComputation(String fixture, int seq, int[] tokens, @TempDir Path tmp) throws Exception {
        Path out = tmp.resolve("grad.safetensors");
        StringWriter err = new StringWriter();
        int code = LoopLensCli.execute(new String[] {"grad", "--checkpoint", Fixtures.dir(fixture).toString(),
                "--tokens", Fixtures.tokensArg(tokens), "--beta", "0.1", "--out", out.toString()},
                new PrintWriter(new StringWriter()), new PrintWriter(err));
        assertEquals(0, code, err.toString());
        String prefix = "s" + seq + ".";
        int compared = 0;
        try (SafetensorsFile expected = SafetensorsFile.open(Fixtures.dir(fixture).resolve("expected.safetensors"));
             SafetensorsFile got = SafetensorsFile.open(out)) {
            for (String full : expected.names()) {
                if (!full.startsWith(prefix + "stage1.") && !full.startsWith(prefix + "stage2.")) {
                    continue;
                }
                String name = full.substring(prefix.length());
                assertTrue(got.contains(name), "grad output lacks " + name);
                GoldenComparison.compare(name, expected, full, got, tokens.length);
                compared++;
            }
            // Every parameter has a Stage I gradient, the gate its Stage II ones.
            assertTrue(got.names().stream().filter(n -> n.startsWith("stage1.grad.")).count() >= 20);
            assertTrue(got.contains("stage2.grad.model.early_exit_gate.weight"));
        }
        assertTrue(compared >= 4, "compared only " + compared + " tensors");
    }

}
