package org.looplens.acceptance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.looplens.app.cli.LoopLensCli;
import org.looplens.engine.kernels.CpuKernels;
import org.looplens.engine.model.Checkpoint;
import org.looplens.engine.run.LoopRunner;
import org.looplens.engine.run.MemoryPlan;
import org.looplens.engine.run.RunOptions;
import org.looplens.engine.trace.CapturePlan;

/**
 * Requests beyond what the machine or the model allows are refused up front with the limit in
 * the message (or capped, where more would only be slower): a prompt longer than the context, a
 * run whose buffers exceed the heap, captures over the budget with no folder to spill to, more
 * threads than cores.
 */
class ResourceLimitsTest {
    private static final Path TINY = Path.of(System.getProperty("looplens.root", "../.."), "sample-checkpoints/tiny-random");

    private record Result(int code, String out, String err) {}

    private static Result cli(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = LoopLensCli.execute(args, new PrintWriter(out), new PrintWriter(err));
        return new Result(code, out.toString(), err.toString().strip());
    }

    @Test
    void aPromptLongerThanTheContextIsRefusedWithTheLimit() {
        String tokens = String.join(",", Collections.nCopies(257, "1"));
        Result r = cli("inspect", "--checkpoint", TINY.toString(), "--tokens", tokens);
        assertEquals(2, r.code());
        assertEquals("error: --tokens for " + TINY + ": 257 positions exceed the model's context"
                + " (max_position_embeddings 256)", r.err());
    }

    @Test
    void aRunWhoseBuffersExceedTheHeapIsRefusedWithTheEstimate() {
        Result r = cli("inspect", "--checkpoint", TINY.toString(), "--tokens", "1,2,3", "--steps", "100000000");
        assertEquals(2, r.code());
        // Keys and values for 10^8 steps × 2 layers × 3 positions × 32 floats each, plus 8 floats of
        // gate bookkeeping per step and position: 152.0 GiB, as RunBudget counts.
        assertTrue(r.err().startsWith("error: options: 100000000 loop steps over 3 positions need at least 152.0 GiB"
                + " of memory, more than the "), r.err());
        assertTrue(r.err().endsWith(" this JVM may use; run fewer steps or positions, or raise -Xmx"), r.err());
    }

    @Test
    void capturesOverTheBudgetWithNowhereToSpillAreRefusedNamingTheFolder(@org.junit.jupiter.api.io.TempDir Path tmp) {
        int[] tokens = {1, 2, 3};
        RunOptions all = RunOptions.defaults().withCapture(CapturePlan.all());
        MemoryPlan plan = new LoopRunner(Checkpoint.load(TINY), CpuKernels.shared()).memoryPlan(List.of(tokens), all);
        long budget = plan.runBytes() + plan.captureBytes() / 2;
        Path missing = tmp.resolve("no-such-folder");
        Result r = cli("trace", "--checkpoint", TINY.toString(), "--tokens", "1,2,3", "--out",
                tmp.resolve("t.safetensors").toString(), "--memory-budget", Long.toString(budget),
                "--spill-dir", missing.toString());
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().endsWith("error: " + missing + ": captured activations of " + plan.captureBytes()
                + " bytes do not fit beside the run's " + plan.runBytes() + " bytes in the " + budget
                + " bytes it may hold, and the spill folder does not exist"),
                r.err());
        assertFalse(java.nio.file.Files.exists(tmp.resolve("t.safetensors")));
    }

    @Test
    void threadsBeyondTheCoresAreCappedAtTheCores() throws Exception {
        Result r = cli("bench", "train", "--preset", "S", "--seconds", "0.1", "--threads", "4096", "--json");
        assertEquals(0, r.code(), r.err());
        String[] lines = r.out().strip().split("\n");
        JsonNode report = new ObjectMapper().readTree(lines[lines.length - 1]);
        assertEquals(Runtime.getRuntime().availableProcessors(), report.get("threads").asInt());
    }
}
