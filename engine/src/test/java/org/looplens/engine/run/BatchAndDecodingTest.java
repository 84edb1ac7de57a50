package org.looplens.engine.run;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.looplens.engine.TestModels;
import org.looplens.engine.kernels.CpuKernels;
import org.looplens.engine.model.LoopModel;
import org.looplens.engine.tensor.FloatTensor;
import org.looplens.engine.trace.CapturePlan;
import org.looplens.engine.trace.Site;
import org.looplens.engine.trace.SiteKind;

/** A batch equals each sequence alone; prefill + token-by-token decoding equals the full forward. */
class BatchAndDecodingTest {
    private final LoopModel model = TestModels.random(TestModels.gqaConfig(), 11);
    private final LoopRunner runner = new LoopRunner(model, CpuKernels.shared());
    private final RunOptions all = RunOptions.defaults().withCapture(CapturePlan.all());

    @Test
    void batchOfDifferentLengthsGivesTheNumbersOfEachSequenceAlone() {
        int[] a = TestModels.tokens(13, 37, 1);
        int[] b = TestModels.tokens(5, 37, 2);
        int[] c = TestModels.tokens(1, 37, 3);
        List<RunResult> batch = runner.forward(List.of(a, b, c), all);
        List<int[]> seqs = List.of(a, b, c);
        for (int s = 0; s < 3; s++) {
            RunResult alone = runner.forward(seqs.get(s), all);
            RunResult inBatch = batch.get(s);
            assertEquals(alone.trace().all().keySet(), inBatch.trace().all().keySet());
            for (var e : alone.trace().all().entrySet()) {
                FloatTensor other = inBatch.trace().get(e.getKey());
                assertArrayEquals(e.getValue().shape(), other.shape(), e.getKey().toString());
                assertTrue(TestModels.maxDiff(e.getValue().data(), other.data()) <= 1e-6,
                        "sequence " + s + " differs at " + e.getKey());
            }
            assertArrayEquals(alone.output().data(), inBatch.output().data(), 1e-6f);
        }
    }

    @Test
    void prefillThenDecodingReproducesTheFullForward() {
        int[] tokens = TestModels.tokens(11, 37, 5);
        RunResult full = runner.forward(tokens, all);
        DecodeSession session = runner.session(all);
        RunResult prefill = session.append(java.util.Arrays.copyOf(tokens, 4));
        assertEquals(4, session.length());
        compareRows(full, prefill, 0);
        for (int p = 4; p < tokens.length; p++) {
            RunResult one = session.append(tokens[p]);
            assertEquals(p, one.firstPosition());
            assertArrayEquals(new int[] {p}, one.trace().positions());
            compareRows(full, one, p);
        }
        assertEquals(tokens.length, session.length());
    }

    @Test
    void decodingAttentionSeesEveryEarlierPositionOfItsOwnStep() {
        int[] tokens = TestModels.tokens(6, 37, 9);
        RunResult full = runner.forward(tokens, all);
        DecodeSession session = runner.session(all);
        session.append(java.util.Arrays.copyOf(tokens, 5));
        RunResult last = session.append(tokens[5]);
        for (int t = 0; t < full.steps(); t++) {
            FloatTensor probs = last.trace().get(Site.layer(t, 1, SiteKind.ATTN_PROBS)); // [heads, 1, 6]
            FloatTensor ref = full.trace().get(Site.layer(t, 1, SiteKind.ATTN_PROBS)); // [heads, 6, 6]
            assertArrayEquals(new int[] {4, 1, 6}, probs.shape());
            for (int h = 0; h < 4; h++) {
                for (int j = 0; j < 6; j++) {
                    assertEquals(ref.data()[(h * 6 + 5) * 6 + j], probs.data()[h * 6 + j], 1e-6, "head " + h);
                }
            }
        }
    }

    /** Every per-position site of {@code part} equals rows [first, first+len) of {@code full}. */
    private static void compareRows(RunResult full, RunResult part, int first) {
        for (var e : part.trace().all().entrySet()) {
            Site site = e.getKey();
            if (site.kind() == SiteKind.ATTN_PROBS) {
                continue; // checked separately: its key axis differs in length
            }
            FloatTensor ref = full.trace().get(site);
            int width = ref.size() / ref.dim(0);
            float[] want = java.util.Arrays.copyOfRange(ref.data(), first * width, (first + part.length()) * width);
            assertTrue(TestModels.maxDiff(want, e.getValue().data()) <= 1e-5,
                    site + " at position " + first + " differs by " + TestModels.maxDiff(want, e.getValue().data()));
        }
        for (int t = 0; t < full.steps(); t++) {
            for (int i = 0; i < part.length(); i++) {
                assertEquals(full.lambda()[t][first + i], part.lambda()[t][i], 1e-6);
            }
        }
    }
}
