package org.looplens.engine.trace;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.looplens.engine.TestModels;
import org.looplens.engine.kernels.CpuKernels;
import org.looplens.engine.model.LoopModel;
import org.looplens.engine.run.LoopRunner;
import org.looplens.engine.run.RunOptions;
import org.looplens.engine.run.RunResult;

/** Captures copied into reused buffers hold the same values as fresh ones, in the same arrays. */
class CaptureBuffersTest {
    private final LoopModel model = TestModels.random(TestModels.gqaConfig(), 5);
    private final LoopRunner runner = new LoopRunner(model, CpuKernels.shared());
    private final List<int[]> batch = List.of(TestModels.tokens(9, 37, 1), TestModels.tokens(6, 37, 2));

    @Test
    void reusedBuffersHoldWhatFreshArraysHoldAndAreReused() {
        RunOptions fresh = RunOptions.defaults().withCapture(CapturePlan.all());
        CaptureBuffers buffers = new CaptureBuffers();
        RunOptions pooled = fresh.withCaptureBuffers(buffers);

        List<RunResult> expected = runner.forward(batch, fresh);
        List<RunResult> first = runner.forward(batch, pooled);
        float[] firstProbs = first.get(1).trace().get(Site.layer(1, 0, SiteKind.ATTN_PROBS)).data();
        List<RunResult> second = runner.forward(batch, pooled);

        for (int b = 0; b < batch.size(); b++) {
            Trace want = expected.get(b).trace();
            Trace got = second.get(b).trace();
            assertEquals(want.all().keySet(), got.all().keySet());
            for (var e : want.all().entrySet()) {
                assertArrayEquals(e.getValue().shape(), got.get(e.getKey()).shape(), "shape at " + e.getKey());
                assertArrayEquals(e.getValue().data(), got.get(e.getKey()).data(), "at " + e.getKey());
            }
        }
        assertSame(firstProbs, second.get(1).trace().get(Site.layer(1, 0, SiteKind.ATTN_PROBS)).data(),
                "the second run reuses the first run's array");
    }

    @Test
    void aPositionFilterInAnyOrderCopiesThoseRowsIntoReusedBuffers() {
        int[] tokens = TestModels.tokens(7, 37, 3);
        Site site = Site.step(1, SiteKind.STEP_HIDDEN);
        RunResult all = runner.forward(tokens, RunOptions.defaults().withCapture(CapturePlan.all()));
        CapturePlan reversed = CapturePlan.kinds(SiteKind.STEP_HIDDEN).atPositions(6, 5, 4, 3, 2, 1, 0);
        CaptureBuffers buffers = new CaptureBuffers();
        runner.forward(tokens, RunOptions.defaults().withCapture(reversed).withCaptureBuffers(buffers));
        RunResult picked = runner.forward(tokens, RunOptions.defaults().withCapture(reversed).withCaptureBuffers(buffers));

        int h = model.config().hiddenSize();
        float[] source = all.trace().get(site).data();
        float[] rows = picked.trace().get(site).data();
        for (int i = 0; i < 7; i++) {
            for (int c = 0; c < h; c++) {
                assertEquals(source[(6 - i) * h + c], rows[i * h + c], "row " + i + " col " + c);
            }
        }
        assertArrayEquals(new int[] {6, 5, 4, 3, 2, 1, 0}, picked.trace().positions());
    }

    @Test
    void anotherShapeGetsItsOwnArray() {
        CaptureBuffers buffers = new CaptureBuffers();
        float[] a = buffers.take(Site.embed(), 0, 12);
        assertSame(a, buffers.take(Site.embed(), 0, 12));
        assertNotSame(a, buffers.take(Site.embed(), 0, 16));
        assertNotSame(a, buffers.take(Site.embed(), 1, 12));
    }
}
