package org.looplens.acceptance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.looplens.app.cli.LoopLensCli;
import org.looplens.engine.io.SafetensorsFile;

/**
 * {@code looplens trace} reproduces every forward tensor of the golden fixtures (the official Ouro
 * computation in float64) within the tolerances of the fixture READMEs, for every sequence.
 * Training tensors ({@code stage1.*}, {@code stage2.*}) belong to the training tests.
 */
class GoldenParityTest {

    static Stream<Arguments> sequences() throws Exception {
        List<Arguments> cases = new ArrayList<>();
        for (String name : Fixtures.NAMES) {
            List<int[]> seqs = Fixtures.sequences(name);
            for (int s = 0; s < seqs.size(); s++) {
                cases.add(Arguments.of(name, s, seqs.get(s)));
            }
        }
        return cases.stream();
    }

    @ParameterizedTest(name = "{0} sequence {1}")
    @MethodSource("sequences")
    void traceMatchesTheOfficialComputation(String fixture, int seq, int[] tokens, @TempDir Path tmp) throws Exception {
        Path out = tmp.resolve("trace.safetensors");
        StringWriter err = new StringWriter();
        int code = LoopLensCli.execute(new String[] {"trace", "--checkpoint", Fixtures.dir(fixture).toString(),
                "--tokens", Fixtures.tokensArg(tokens), "--out", out.toString()},
                new PrintWriter(new StringWriter()), new PrintWriter(err));
        assertEquals(0, code, err.toString());

        String prefix = "s" + seq + ".";
        int compared = 0;
        try (SafetensorsFile expected = SafetensorsFile.open(Fixtures.dir(fixture).resolve("expected.safetensors"));
             SafetensorsFile got = SafetensorsFile.open(out)) {
            for (String full : expected.names()) {
                String name;
                if (full.startsWith(prefix)) {
                    name = full.substring(prefix.length());
                } else if (full.startsWith("rope.")) {
                    name = full;
                } else {
                    continue; // the other sequence
                }
                if (name.startsWith("stage1.") || name.startsWith("stage2.")) {
                    continue;
                }
                assertTrue(got.contains(name), "trace lacks " + name);
                GoldenComparison.compare(name, expected, full, got, tokens.length);
                compared++;
            }
        }
        // Every forward tensor of the fixture README: per step 6 + 5 per layer, plus the exit set,
        // embed, expected_logits, hf_labels_loss and the two rope tables.
        assertTrue(compared > 40, "compared only " + compared + " tensors");
    }

}
