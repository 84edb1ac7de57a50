package org.looplens.acceptance;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
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
import org.looplens.engine.io.TensorInfo;

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
                compare(name, expected, full, got, tokens.length);
                compared++;
            }
        }
        // Every forward tensor of the fixture README: per step 6 + 5 per layer, plus the exit set,
        // embed, expected_logits, hf_labels_loss and the two rope tables.
        assertTrue(compared > 40, "compared only " + compared + " tensors");
    }

    private static void compare(String name, SafetensorsFile expected, String expectedName, SafetensorsFile got,
                                int length) {
        TensorInfo e = expected.info(expectedName);
        float[] want = expected.readFloats(expectedName);
        float[] have = got.readFloats(name);
        long[] wantShape = e.shape();
        long[] haveShape = got.info(name).shape();
        if (name.startsWith("rope.")) {
            // The fixture's tables cover the longest sequence; ours cover this one.
            assertEquals(wantShape[1], haveShape[1], name);
            int rows = (int) Math.min(haveShape[0], wantShape[0]);
            assertEquals(length, (int) haveShape[0], name);
            want = java.util.Arrays.copyOf(want, rows * (int) wantShape[1]);
            have = java.util.Arrays.copyOf(have, rows * (int) wantShape[1]);
        } else {
            assertArrayEquals(wantShape, haveShape, name + " shape");
        }
        Tolerance tol = Tolerance.forName(name);
        double worst = 0;
        int worstAt = -1;
        for (int i = 0; i < want.length; i++) {
            double diff = Math.abs(have[i] - want[i]);
            if (!tol.accepts(have[i], want[i]) && diff >= worst) {
                worst = diff;
                worstAt = i;
            }
        }
        if (worstAt >= 0) {
            throw new AssertionError(name + ": element " + worstAt + " is " + have[worstAt] + ", expected "
                    + want[worstAt] + " (|diff| " + worst + " > atol " + tol.atol() + " + rtol " + tol.rtol() + "·|exp|)");
        }
    }
}
