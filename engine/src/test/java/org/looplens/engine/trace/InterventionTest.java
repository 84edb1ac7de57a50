package org.looplens.engine.trace;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.looplens.engine.TestModels;
import org.looplens.engine.kernels.CpuKernels;
import org.looplens.engine.model.LoopModel;
import org.looplens.engine.run.LoopRunner;
import org.looplens.engine.run.RunOptions;
import org.looplens.engine.run.RunResult;
import org.looplens.engine.tensor.FloatTensor;

/** Interventions change exactly what they should: their site and what is computed after it. */
class InterventionTest {
    private static final int LENGTH = 8;
    private final LoopModel model = TestModels.random(TestModels.gqaConfig(), 21);
    private final LoopRunner runner = new LoopRunner(model, CpuKernels.shared());
    private final int[] tokens = TestModels.tokens(LENGTH, 37, 4);
    private final RunOptions all = RunOptions.defaults().withCapture(CapturePlan.all());
    private final RunResult clean = runner.forward(tokens, all);

    private RunResult with(Intervention... interventions) {
        return runner.forward(tokens, all.withInterventions(List.of(interventions)));
    }

    @ParameterizedTest
    @EnumSource(SiteKind.class)
    void patchingASiteWithItsOwnValueChangesNothing(SiteKind kind) {
        Site site = switch (kind.scope()) {
            case INPUT -> Site.embed();
            case STEP -> Site.step(1, kind);
            case LAYER -> Site.layer(1, 1, kind);
        };
        RunResult patched = with(Interventions.patch(site, clean.trace().get(site)));
        for (var e : clean.trace().all().entrySet()) {
            assertArrayEquals(e.getValue().data(), patched.trace().get(e.getKey()).data(), "at " + e.getKey());
        }
        assertArrayEquals(clean.output().data(), patched.output().data());
    }

    @Test
    void zeroingASiteChangesEverythingDownstreamAndNothingUpstream() {
        Site target = Site.layer(1, 1, SiteKind.MID);
        int position = 3;
        RunResult zeroed = with(Interventions.zero(target, position));
        float[] row = zeroed.trace().get(target).data();
        int h = model.config().hiddenSize();
        for (int c = 0; c < h; c++) {
            assertEquals(0f, row[position * h + c]);
        }
        int changedDownstream = 0;
        for (var e : clean.trace().all().entrySet()) {
            Site s = e.getKey();
            float[] before = e.getValue().data();
            float[] after = zeroed.trace().get(s).data();
            if (ComputationOrder.before(s, target)) {
                assertArrayEquals(before, after, "upstream site " + s + " changed");
                continue;
            }
            // Downstream: causal attention keeps earlier positions untouched; later ones move.
            assertArrayEquals(rows(e.getValue(), s, 0, position), rows(zeroed.trace().get(s), s, 0, position),
                    "earlier positions changed at " + s);
            assertFalse(Arrays.equals(rows(e.getValue(), s, position, LENGTH), rows(zeroed.trace().get(s), s, position, LENGTH)),
                    "downstream site " + s + " did not change");
            changedDownstream++;
        }
        // MID..LAYER_OUT of (1,1) (4 sites) + step 1's 4 step sites + all of step 2 (2 layers × 10 + 4).
        assertEquals(4 + 4 + 24, changedDownstream);
        assertNotEquals(clean.lambda()[2][position], zeroed.lambda()[2][position]);
        assertEquals(clean.lambda()[2][position - 1], zeroed.lambda()[2][position - 1]);
    }

    @Test
    void steeringAddsExactlyTheScaledVectorAtTheChosenPositions() {
        Site site = Site.step(0, SiteKind.STEP_HIDDEN);
        float[] direction = new float[model.config().hiddenSize()];
        for (int i = 0; i < direction.length; i++) {
            direction[i] = (i % 3) - 1;
        }
        RunResult steered = with(Interventions.add(site, direction, 2.5f, 2, 5));
        FloatTensor before = clean.trace().get(site);
        FloatTensor after = steered.trace().get(site);
        for (int p = 0; p < LENGTH; p++) {
            for (int c = 0; c < direction.length; c++) {
                float expected = before.get(p, c) + ((p == 2 || p == 5) ? 2.5f * direction[c] : 0f);
                assertEquals(expected, after.get(p, c), 1e-6, "position " + p);
            }
        }
    }

    @Test
    void scaleMeanAndNoiseDoWhatTheySay() {
        Site site = Site.layer(0, 0, SiteKind.ATTN_OUT);
        FloatTensor base = clean.trace().get(site);
        FloatTensor scaled = with(Interventions.scale(site, -0.5f)).trace().get(site);
        for (int i = 0; i < base.size(); i++) {
            assertEquals(-0.5f * base.data()[i], scaled.data()[i]);
        }
        float[] mean = new float[base.dim(1)];
        Arrays.fill(mean, 0.25f);
        FloatTensor meaned = with(Interventions.mean(site, mean, 0)).trace().get(site);
        assertArrayEquals(mean, meaned.rows(0, 1).data());
        assertArrayEquals(base.rows(1, LENGTH).data(), meaned.rows(1, LENGTH).data());
        FloatTensor n1 = with(Interventions.noise(site, 0.1f, 7)).trace().get(site);
        FloatTensor n2 = with(Interventions.noise(site, 0.1f, 7)).trace().get(site);
        FloatTensor n3 = with(Interventions.noise(site, 0.1f, 8)).trace().get(site);
        assertArrayEquals(n1.data(), n2.data());
        assertFalse(Arrays.equals(n1.data(), n3.data()));
        assertFalse(Arrays.equals(base.data(), n1.data()));
    }

    @Test
    void patchingTheFinalHiddenStateFromAnotherInputTransplantsItsPrediction() {
        int[] other = TestModels.tokens(LENGTH, 37, 99);
        RunResult corrupt = runner.forward(other, all);
        int last = clean.steps() - 1;
        Site hidden = Site.step(last, SiteKind.STEP_HIDDEN);
        RunResult patched = with(Interventions.patch(hidden, corrupt.trace().get(hidden)));
        assertArrayEquals(corrupt.stepLogits(last).data(), patched.stepLogits(last).data(), 1e-6f);
        assertArrayEquals(corrupt.lambda()[last], patched.lambda()[last], 1e-6f);
        assertArrayEquals(clean.stepLogits(0).data(), patched.stepLogits(0).data());
    }

    @Test
    void capturePlanRecordsOnlyWhatIsAsked() {
        Site mid = Site.layer(0, 1, SiteKind.MID);
        RunResult r = runner.forward(tokens, RunOptions.defaults()
                .withCapture(CapturePlan.sites(java.util.Set.of(mid)).atPositions(6, 1)));
        assertEquals(1, r.trace().all().size());
        assertArrayEquals(new int[] {6, 1}, r.trace().positions());
        FloatTensor got = r.trace().get(mid);
        FloatTensor full = clean.trace().get(mid);
        assertArrayEquals(new int[] {2, model.config().hiddenSize()}, got.shape());
        assertArrayEquals(full.rows(6, 7).data(), got.rows(0, 1).data());
        assertArrayEquals(full.rows(1, 2).data(), got.rows(1, 2).data());
        RunResult none = runner.forward(tokens, RunOptions.defaults());
        assertTrue(none.trace().all().isEmpty());
        assertArrayEquals(clean.output().data(), none.output().data());
    }

    private static float[] rows(FloatTensor t, Site s, int from, int to) {
        if (s.kind() != SiteKind.ATTN_PROBS) {
            return t.rows(from, to).data();
        }
        int heads = t.dim(0);
        int len = t.dim(1);
        int keys = t.dim(2);
        float[] out = new float[heads * (to - from) * keys];
        for (int h = 0; h < heads; h++) {
            System.arraycopy(t.data(), (h * len + from) * keys, out, h * (to - from) * keys, (to - from) * keys);
        }
        return out;
    }

    /** The order in which a forward pass reaches sites, for "upstream of" questions. */
    static final class ComputationOrder {
        private static final Map<SiteKind, Integer> WITHIN = Map.ofEntries(
                Map.entry(SiteKind.ATTN_IN, 0), Map.entry(SiteKind.Q, 1), Map.entry(SiteKind.K, 1),
                Map.entry(SiteKind.V, 1), Map.entry(SiteKind.ATTN_PROBS, 2), Map.entry(SiteKind.ATTN_OUT, 3),
                Map.entry(SiteKind.MID, 4), Map.entry(SiteKind.MLP_IN, 5), Map.entry(SiteKind.MLP_OUT, 6),
                Map.entry(SiteKind.LAYER_OUT, 7), Map.entry(SiteKind.STEP_PRENORM, 8),
                Map.entry(SiteKind.STEP_HIDDEN, 9), Map.entry(SiteKind.GATE_LOGIT, 10),
                Map.entry(SiteKind.STEP_LOGITS, 10));

        static boolean before(Site a, Site b) {
            return key(a) < key(b);
        }

        private static long key(Site s) {
            if (s.kind() == SiteKind.EMBED) {
                return -1;
            }
            int layer = s.layer() < 0 ? 1000 : s.layer();
            return (s.step() * 1001L + layer) * 100 + WITHIN.get(s.kind());
        }
    }
}
