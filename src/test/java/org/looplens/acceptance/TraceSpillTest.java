package org.looplens.acceptance;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.looplens.engine.io.SafetensorsFile;
import org.looplens.engine.kernels.CpuKernels;
import org.looplens.engine.model.Checkpoint;
import org.looplens.engine.model.LoopModel;
import org.looplens.engine.run.ExitPolicy;
import org.looplens.engine.run.LoopRunner;
import org.looplens.engine.run.RunOptions;
import org.looplens.engine.run.RunResult;
import org.looplens.engine.trace.CapturePlan;
import org.looplens.engine.trace.Site;
import org.looplens.engine.trace.SiteKind;

/**
 * A trace several times larger than the heap completes: {@code looplens trace} under a 192 MiB
 * heap records every site of 1536 positions (414 MiB of activations, mostly attention
 * probabilities and step logits) by spilling them to a memory-mapped file, and writes the same
 * numbers a run that keeps them in memory records.
 */
class TraceSpillTest {
    private static final int POSITIONS = 1536;

    @TempDir
    Path tmp;

    @Test
    void aTraceLargerThanTheHeapSpillsToDiskAndWritesTheSameNumbers() throws Exception {
        Path checkpoint = RandomCheckpoints.init(tmp.resolve("model"), """
                {"vocab_size": 4096, "hidden_size": 64, "intermediate_size": 128, "num_hidden_layers": 2,
                 "num_attention_heads": 4, "num_key_value_heads": 4, "total_ut_steps": 4,
                 "max_position_embeddings": 2048}
                """, "--seed", "3");
        int[] tokens = IntStream.range(0, POSITIONS).map(i -> (i * 37 + 11) % 4096).toArray();
        String ids = IntStream.of(tokens).mapToObj(Integer::toString).collect(Collectors.joining(","));
        Path spill = Files.createDirectory(tmp.resolve("spill"));
        Path out = tmp.resolve("trace.safetensors");
        Path stdout = tmp.resolve("out.txt");
        Path stderr = tmp.resolve("err.txt");

        Process p = CliProcess.start(List.of("-Xmx192m"), List.of("trace", "--checkpoint", checkpoint.toString(),
                "--tokens", ids, "--out", out.toString(), "--spill-dir", spill.toString()), stdout, stderr);
        assertTrue(p.waitFor(120, java.util.concurrent.TimeUnit.SECONDS), "trace did not finish in two minutes");
        List<String> err = CliProcess.errorLines(stderr);
        assertEquals(0, p.exitValue(), String.join("\n", err));
        assertEquals(1, err.size(), String.join("\n", err));
        // 414 MiB of captures against 95 MiB of run buffers; the room is the heap left free at the time.
        assertTrue(err.get(0).startsWith("note: captures 414 MiB spill to disk (run buffers 95 MiB, room "), err.get(0));
        assertTrue(err.get(0).contains("; spilling to " + spill), err.get(0));
        try (var left = Files.list(spill)) {
            assertEquals(List.of(), left.toList(), "the spill file leaves nothing behind");
        }

        // The same run in this process, capturing a few sites in memory, gives the same numbers.
        LoopModel model = Checkpoint.load(checkpoint);
        Site probs = Site.layer(3, 1, SiteKind.ATTN_PROBS);
        Site logits = Site.step(2, SiteKind.STEP_LOGITS);
        Site mid = Site.layer(0, 0, SiteKind.MID);
        RunResult run = new LoopRunner(model, CpuKernels.shared()).forward(tokens, RunOptions.defaults()
                .withExitPolicy(ExitPolicy.mixture()).withCapture(CapturePlan.sites(java.util.Set.of(probs, logits, mid))));
        assertEquals(0, run.trace().spilledBytes());
        try (SafetensorsFile file = SafetensorsFile.open(out)) {
            assertArrayEquals(run.trace().get(probs).data(), file.readFloats("t3.l1.attn_probs"));
            assertArrayEquals(run.trace().get(logits).data(), file.readFloats("t2.logits"));
            assertArrayEquals(run.trace().get(mid).data(), file.readFloats("t0.l0.mid"));
            assertArrayEquals(run.output().data(), file.readFloats("expected_logits"));
            long bytes = file.names().stream().mapToLong(n -> file.info(n).byteLength()).sum();
            assertTrue(bytes > 414L << 20, "the trace holds " + bytes + " bytes");
        }
    }
}
