package org.looplens.engine.run;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.looplens.engine.InvalidInputException;
import org.looplens.engine.TestModels;
import org.looplens.engine.config.LoopConfig;
import org.looplens.engine.kernels.CpuKernels;
import org.looplens.engine.model.LoopModel;
import org.looplens.engine.trace.CapturePlan;
import org.looplens.engine.trace.Site;
import org.looplens.engine.trace.SiteKind;
import org.looplens.engine.trace.Trace;

/**
 * The capture plan's memory is estimated before a run starts; captures over the budget spill to
 * disk, and a run whose own buffers exceed it is refused by name.
 */
class MemoryBudgetTest {
    private final LoopModel model = TestModels.random(TestModels.gqaConfig(), 3); // hidden 24, q 24, kv 12, vocab 37
    private final LoopRunner runner = new LoopRunner(model, CpuKernels.shared());
    private final int[] tokens = TestModels.tokens(5, 37, 2);

    private long estimate(RunOptions o, int[] first, int[] lengths) {
        return CaptureEstimate.bytes(model.config(), 3, o, first, lengths);
    }

    private static long traceBytes(Trace t) {
        return t.all().values().stream().mapToLong(v -> 4L * v.size()).sum();
    }

    @Test
    void everySiteOfFivePositionsByHand() {
        // embed 5×24 = 120; per step: prenorm 120 + hidden 120 + gate 5 + logits 5×37 = 430, × 3 steps = 1290;
        // per (step, layer): six hidden-wide sites 720 + q 120 + k 60 + v 60 + probs 4 heads × 5 × 5 = 100 → 1060, × 6 = 6360.
        long want = 4L * (120 + 1290 + 6360);
        RunOptions all = RunOptions.defaults().withCapture(CapturePlan.all());
        assertEquals(31_080, want);
        assertEquals(want, estimate(all, new int[] {0}, new int[] {5}));
        assertEquals(want, traceBytes(runner.forward(tokens, all).trace()));
    }

    @Test
    void theEstimateIsWhatTheTraceHoldsForEveryKindOfPlan() {
        RunOptions base = RunOptions.defaults();
        List<RunOptions> plans = List.of(
                base.withCapture(CapturePlan.kinds(SiteKind.STEP_HIDDEN, SiteKind.ATTN_PROBS)),
                base.withCapture(CapturePlan.all().atPositions(1, 3, 40)),
                base.withCapture(CapturePlan.all()).withStepEdits(List.of(StepEdit.skip(1))),
                base.withCapture(CapturePlan.all()).withStepEdits(List.of(StepEdit.repeat(0))),
                base.withCapture(CapturePlan.kinds(SiteKind.EMBED)));
        for (RunOptions o : plans) {
            long traced = traceBytes(runner.forward(tokens, o).trace());
            assertTrue(traced > 0, o.capture().toString());
            assertEquals(traced, estimate(o, new int[] {0}, new int[] {5}), o.capture() + " " + o.stepEdits());
        }
        RunOptions all = base.withCapture(CapturePlan.all());
        RunResult full = runner.forward(tokens, all.withCapture(CapturePlan.all().plus(ResumePoint.capture(ExitPolicy.lastStep()))));
        RunOptions resumed = all.withResume(ResumePoint.of(full, 1, 1));
        assertEquals(traceBytes(runner.forward(tokens, resumed).trace()), estimate(resumed, new int[] {0}, new int[] {5}));
        // A batch and a decode call: attention probabilities grow with the keys before the call.
        List<RunResult> batch = runner.forward(List.of(tokens, new int[] {4, 5}), all);
        assertEquals(traceBytes(batch.get(0).trace()) + traceBytes(batch.get(1).trace()),
                estimate(all, new int[] {0, 0}, new int[] {5, 2}));
        DecodeSession s = runner.session(all);
        s.append(tokens);
        assertEquals(traceBytes(s.append(9).trace()), estimate(all, new int[] {5}, new int[] {1}));
    }

    @Test
    void capturesOverTheBudgetSpillToDiskAndReadBackBitwise(@TempDir Path spillDir) throws Exception {
        // Without captures 5 positions need 2675 floats: keys/values 2 × 3 steps × 2 layers × 5 × 12 = 720,
        // rows × (5h + 2q + 2kv + 2·inter + 2·vocab + 1) = 5 × 347, heads × 5² = 100, 8 × 3 steps × 5 = 120
        // → 10700 bytes. Capturing everything records 31080 bytes in 73 tensors (embed, then 4 per step
        // and 10 per layer and step), whose index takes 73 × 128 = 9344 bytes of heap wherever the values go.
        RunOptions budget = RunOptions.defaults().withMemoryBudget(30_000).withSpillDirectory(spillDir);
        RunOptions all = budget.withCapture(CapturePlan.all());
        assertEquals(new MemoryPlan(20_044, 31_080, 30_000, true), runner.memoryPlan(List.of(tokens), all));
        assertEquals(new MemoryPlan(10_700, 0, 30_000, false), runner.memoryPlan(List.of(tokens), budget));
        assertFalse(runner.memoryPlan(List.of(tokens), all.withMemoryBudget(51_124)).spills());
        assertTrue(runner.memoryPlan(List.of(tokens), all.withMemoryBudget(51_123)).spills());

        Trace inHeap = runner.forward(tokens, RunOptions.defaults().withCapture(CapturePlan.all())).trace();
        Trace spilled = runner.forward(tokens, all).trace();
        assertEquals(0, inHeap.spilledBytes());
        assertEquals(31_080, spilled.spilledBytes());
        assertEquals(inHeap.all().keySet().stream().toList(), spilled.all().keySet().stream().toList());
        for (var e : inHeap.all().entrySet()) {
            assertArrayEquals(e.getValue().shape(), spilled.shape(e.getKey()), e.getKey().toString());
            assertArrayEquals(e.getValue().data(), spilled.get(e.getKey()).data(), e.getKey().toString());
            if (e.getValue().rank() == 2) { // a position's row alone, read from either
                float[] want = java.util.Arrays.copyOfRange(e.getValue().data(), 3 * e.getValue().dim(1),
                        4 * e.getValue().dim(1));
                assertArrayEquals(want, inHeap.row(e.getKey(), 3), e.getKey().toString());
                assertArrayEquals(want, spilled.row(e.getKey(), 3), e.getKey().toString());
            }
        }
        Site probs = Site.layer(0, 0, SiteKind.ATTN_PROBS);
        assertEquals("t0.l0.attn_probs has shape [4, 5, 5], not [positions, width]",
                assertThrows(IllegalArgumentException.class, () -> spilled.row(probs, 0)).getMessage());
        assertThrows(IndexOutOfBoundsException.class, () -> spilled.row(Site.step(0, SiteKind.STEP_HIDDEN), 5));
        try (var left = Files.list(spillDir)) {
            assertEquals(List.of(), left.toList(), "the spill file is unlinked once mapped");
        }
        // Rows picked by position, in the plan's order, are spilled row by row.
        RunOptions picked = all.withCapture(CapturePlan.all().atPositions(3, 0));
        Trace heapPicked = runner.forward(tokens, picked.withMemoryBudget(0)).trace();
        Trace diskPicked = runner.forward(tokens, picked).trace();
        assertTrue(diskPicked.spilledBytes() > 0);
        for (var e : heapPicked.all().entrySet()) {
            assertArrayEquals(e.getValue().data(), diskPicked.get(e.getKey()).data(), e.getKey().toString());
        }
    }

    @Test
    void aDecodeSessionsPrefillSpillsOverTheBudgetAndAShortChunkStaysInTheHeap(@TempDir Path spillDir) {
        RunOptions all = RunOptions.defaults().withCapture(CapturePlan.all());
        MemoryPlan prefill = RunBudget.chunk(model.config(), 3, KvSharing.FULL, 0, 5, all);
        assertEquals(runner.memoryPlan(List.of(tokens), all).runBytes(), prefill.runBytes(),
                "a prefill needs what a full forward of the same tokens needs");
        long budget = prefill.runBytes() + prefill.captureBytes() / 2;
        DecodeSession free = runner.session(all);
        DecodeSession tight = runner.session(all.withMemoryBudget(budget).withSpillDirectory(spillDir), KvSharing.FULL, 6);
        Trace want = free.append(tokens).trace();
        Trace got = tight.append(tokens).trace();
        assertEquals(prefill.captureBytes(), got.spilledBytes());
        for (var e : want.all().entrySet()) {
            assertArrayEquals(e.getValue().data(), got.get(e.getKey()).data(), e.getKey().toString());
        }
        RunResult one = tight.append(9);
        assertEquals(0, one.trace().spilledBytes(), "one more token's captures fit");
        assertArrayEquals(free.append(9).output().data(), one.output().data());

        // A session sized for 5 positions keeps 2 × 3 steps × 2 layers × 5 × 12 floats of keys and values.
        InvalidInputException e = assertThrows(InvalidInputException.class,
                () -> runner.session(all.withMemoryBudget(2879), KvSharing.FULL, 5));
        assertEquals("options: 3 loop steps over a decode session of 5 positions need at least 2880 bytes of memory,"
                + " more than the memory budget of 2879 bytes; run fewer steps or positions, or raise the budget",
                e.getMessage());
        DecodeSession starved = runner.session(all.withMemoryBudget(2880), KvSharing.FULL, 5);
        e = assertThrows(InvalidInputException.class, () -> starved.append(tokens));
        assertEquals("options: 3 loop steps over 5 new positions after 0 need at least 10700 bytes of memory, more than"
                + " the memory budget of 2880 bytes; run fewer steps or positions, or raise the budget", e.getMessage());
        assertEquals(0, starved.length(), "a refused chunk leaves the cache as it was");
    }

    @Test
    void aRunWhoseBuffersAndIndexExceedTheBudgetIsRefusedBeforeStarting() {
        RunOptions all = RunOptions.defaults().withCapture(CapturePlan.all());
        InvalidInputException e = assertThrows(InvalidInputException.class,
                () -> runner.forward(tokens, all.withMemoryBudget(10_699)));
        assertEquals("options: 3 loop steps over 5 positions need at least 10700 bytes of memory, more than the"
                + " memory budget of 10699 bytes; run fewer steps or positions, or raise the budget", e.getMessage());
        e = assertThrows(InvalidInputException.class, () -> runner.forward(tokens, all.withMemoryBudget(20_043)));
        assertEquals("options: 3 loop steps over 5 positions need at least 20044 bytes of memory, 9344 bytes of it to"
                + " index the 73 tensors the CapturePlan(all) records, more than the memory budget of 20043 bytes;"
                + " run fewer steps or positions, or raise the budget", e.getMessage());
    }

    @Test
    void aRunGivenAPlanPlacesItsCapturesAsThePlanSaysAndRefusesAnotherRunsPlan(@TempDir Path spillDir) {
        RunOptions all = RunOptions.defaults().withCapture(CapturePlan.all()).withSpillDirectory(spillDir);
        MemoryPlan spilling = new MemoryPlan(20_044, 31_080, 30_000, true);
        assertEquals(31_080, runner.forward(List.of(tokens), all, spilling).get(0).trace().spilledBytes());
        MemoryPlan inHeap = new MemoryPlan(20_044, 31_080, 1L << 30, false);
        assertEquals(0, runner.forward(List.of(tokens), all, inHeap).get(0).trace().spilledBytes());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> runner.forward(List.of(tokens, tokens), all, inHeap));
        assertEquals("the plan counts 31080 bytes of captures, these sequences and options 62160: it was made for"
                + " another run", e.getMessage());
    }

    @Test
    void aReleasedSpilledTraceSaysSoAndKeepsItsShape(@TempDir Path spillDir) {
        RunOptions all = RunOptions.defaults().withCapture(CapturePlan.all()).withSpillDirectory(spillDir)
                .withMemoryBudget(30_000);
        Trace t = runner.forward(tokens, all).trace();
        Site hidden = Site.step(1, SiteKind.STEP_HIDDEN);
        assertEquals(5, t.get(hidden).dim(0));
        t.release();
        t.release(); // twice is fine
        assertArrayEquals(new int[] {5, 24}, t.shape(hidden));
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> t.get(hidden));
        assertEquals("the trace's spill file was released; this site is gone", e.getMessage());
    }

    /**
     * Values can spill, the trace's index of them cannot: 480001 tensors of 20000 steps need 58 MiB
     * of it, beside 21 MiB of buffers (keys and values 4.8M floats, gate bookkeeping 0.8M).
     */
    @Test
    void tooManyCapturedTensorsToIndexAreRefusedNamingTheCount() {
        RunOptions all = RunOptions.defaults().withCapture(CapturePlan.all()).withSteps(20_000)
                .withMemoryBudget(64L << 20);
        assertEquals(480_001 * 128L, CaptureEstimate.count(model.config(), 20_000, all, new int[] {0}, new int[] {5})
                .indexBytes());
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> runner.forward(tokens, all));
        assertTrue(e.getMessage().startsWith("options: 20000 loop steps over 5 positions need at least 79 MiB of memory,"
                + " 58 MiB of it to index the 480001 tensors the CapturePlan(all) records, more than the memory budget"
                + " of 64 MiB; capture fewer sites or steps, or raise the budget"), e.getMessage());
    }

    @Test
    void aSpillFolderThatIsMissingIsNamed(@TempDir Path dir) {
        Path missing = dir.resolve("gone");
        RunOptions all = RunOptions.defaults().withMemoryBudget(30_000).withSpillDirectory(missing)
                .withCapture(CapturePlan.all());
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> runner.forward(tokens, all));
        assertEquals(missing + ": captured activations of 31080 bytes do not fit beside the run's 20044 bytes in the"
                + " 30000 bytes it may hold, and the spill folder does not exist", e.getMessage());
    }

    /** An Ouro-1.4B-sized config: 24 layers, hidden 2048, 16 heads of 128, vocab 49152, 4 steps. No weights needed. */
    private static LoopConfig ouro14b() {
        return LoopConfig.of(java.util.Map.of("vocab_size", 49152, "hidden_size", 2048, "intermediate_size", 5632,
                "num_hidden_layers", 24, "num_attention_heads", 16, "num_key_value_heads", 16, "head_dim", 128,
                "total_ut_steps", 4, "max_position_embeddings", 65536));
    }

    @Test
    void everySiteOfALargeModelOverALongPromptSpillsAgainstTheBudget() {
        LoopConfig c = ouro14b();
        RunOptions all = RunOptions.defaults().withCapture(CapturePlan.all());
        // Per (step, layer) and position: six hidden-wide sites 12288 + q 2048 + k 2048 + v 2048 = 18432 floats,
        // plus probs 16 × 256 keys; per step: 2 × 2048 + 1 + 49152 = 53249; embed 2048. 256 positions:
        long floats = 96L * (256 * 18432 + 256 * 16 * 256) + 4L * 256 * 53249 + 256 * 2048;
        assertEquals(608_699_392L, floats);
        assertEquals(4 * floats, CaptureEstimate.bytes(c, 4, all, new int[] {0}, new int[] {256}));

        List<int[]> prompt = List.of(new int[256]);
        MemoryPlan plain = RunBudget.forward(c, 4, prompt, RunOptions.defaults().withMemoryBudget(1L << 30));
        assertFalse(plain.spills());
        MemoryPlan plan = RunBudget.forward(c, 4, prompt, all.withMemoryBudget(1L << 30));
        assertTrue(plan.spills());
        assertEquals(4 * floats, plan.captureBytes());
        // The trace's index of 1 + 4 × (4 + 24 × 10) = 977 tensors stays in the heap.
        assertEquals(plain.runBytes() + 977 * 128, plan.runBytes());
        assertTrue(plan.describe().startsWith("captures 2.3 GiB spill to disk"), plan.describe());
    }

    @Test
    void aNegativeBudgetIsRefused() {
        InvalidInputException e = assertThrows(InvalidInputException.class,
                () -> RunOptions.defaults().withMemoryBudget(-1));
        assertTrue(e.getMessage().contains("memory budget"), e.getMessage());
    }
}
