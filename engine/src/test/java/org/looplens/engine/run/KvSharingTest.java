package org.looplens.engine.run;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.looplens.engine.InvalidInputException;
import org.looplens.engine.TestModels;
import org.looplens.engine.config.LoopConfig;
import org.looplens.engine.kernels.CpuKernels;
import org.looplens.engine.model.LayerWeights;
import org.looplens.engine.model.LoopModel;
import org.looplens.engine.trace.CapturePlan;
import org.looplens.engine.trace.Site;
import org.looplens.engine.trace.SiteKind;

/** Decoding with a KV cache shared across loop steps: what it stores, what it reads, what it costs. */
class KvSharingTest {
    private final LoopModel model = TestModels.random(TestModels.gqaConfig(), 11); // 2 layers, 4/2 heads, dim 6, T = 3
    private final LoopConfig c = model.config();
    private final LoopRunner runner = new LoopRunner(model, CpuKernels.shared());
    private final RunOptions all = RunOptions.defaults().withCapture(CapturePlan.all());

    @Test
    void memoryPerTokenIsOneStepOfKeysAndValuesPerLayerForSharedModesAndTTimesThatForFull() {
        // 2 layers × (keys + values) × kvDim 12 (2 kv heads × 6) × 4 bytes = 192; FULL keeps T = 3 steps.
        assertEquals(12, c.kvDim());
        for (KvSharing mode : KvSharing.values()) {
            DecodeSession s = runner.session(all, mode);
            long want = mode == KvSharing.FULL ? 3 * 192 : 192;
            assertEquals(want, s.cache().bytesPerPosition(), mode.name());
            assertEquals(want, KvCache.bytesPerPosition(mode, 3, 2, 12), mode.name());
            assertEquals(64 * want, s.cache().allocatedBytes(), mode + ": 64 positions allocated at first");
            KvCache grown = new KvCache(3, 2, 12, 4, mode);
            grown.ensureCapacity(5); // doubles 4 to 8 positions
            assertEquals(8 * want, grown.allocatedBytes(), mode.name());
        }
    }

    @Test
    void withOneStepEveryModeIsFullBitwise() {
        RunOptions one = all.withSteps(1);
        int[] tokens = TestModels.tokens(8, 37, 4);
        RunResult[] full = decode(one, KvSharing.FULL, tokens);
        for (KvSharing mode : KvSharing.values()) {
            RunResult[] got = decode(one, mode, tokens);
            for (int i = 0; i < full.length; i++) {
                for (var e : full[i].trace().all().entrySet()) {
                    assertBitwise(e.getValue().data(), got[i].trace().get(e.getKey()).data(), mode + " call " + i + " " + e.getKey());
                }
                assertBitwise(full[i].output().data(), got[i].output().data(), mode + " output " + i);
            }
        }
    }

    @Test
    void aPrefillSeesOnlyItsOwnStepsSoEveryModeEqualsFullThere() {
        int[] prompt = TestModels.tokens(5, 37, 6);
        RunResult full = runner.session(all).append(prompt);
        for (KvSharing mode : KvSharing.values()) {
            RunResult got = runner.session(all, mode).append(prompt);
            assertBitwise(full.output().data(), got.output().data(), mode.name());
        }
    }

    /** After a call, the shared slot holds the steps' keys/values by the mode's rule (same float arithmetic). */
    @Test
    void theSharedSlotHoldsTheLastTheFirstOrTheMeanOfTheStepsKeysAndValues() {
        int[] prompt = TestModels.tokens(3, 37, 8);
        RunResult ref = runner.forward(prompt, all);
        int n = prompt.length * c.kvDim();
        for (KvSharing mode : new KvSharing[] {KvSharing.LAST_STEP, KvSharing.FIRST_STEP, KvSharing.MEAN}) {
            DecodeSession s = runner.session(all, mode);
            s.append(prompt);
            for (int l = 0; l < c.numLayers(); l++) {
                for (SiteKind kind : new SiteKind[] {SiteKind.K, SiteKind.V}) {
                    float[] want = new float[n];
                    for (int t = 0; t < 3; t++) {
                        float[] step = ref.trace().get(Site.layer(t, l, kind)).data();
                        for (int i = 0; i < n; i++) {
                            switch (mode) {
                                case LAST_STEP -> want[i] = t == 2 ? step[i] : want[i];
                                case FIRST_STEP -> want[i] = t == 0 ? step[i] : want[i];
                                default -> want[i] = t == 0 ? step[i] : want[i] + step[i];
                            }
                        }
                    }
                    if (mode == KvSharing.MEAN) {
                        for (int i = 0; i < n; i++) {
                            want[i] /= 3;
                        }
                    }
                    for (int t = 0; t < 3; t++) { // one slot, whichever step asks
                        float[] stored = kind == SiteKind.K ? s.cache().keys(t, l) : s.cache().values(t, l);
                        assertBitwise(want, Arrays.copyOf(stored, n), mode + " layer " + l + " " + kind + " step " + t);
                    }
                }
            }
        }
    }

    /**
     * LAST_STEP, decoding token 1 after token 0, rebuilt by hand from the captured inputs: at step t
     * the new token's queries attend to [last step's key of position 0, its own step-t key], and
     * the attention output is N2(o_proj(p0·V_last(0) + p1·v_t(1))).
     */
    @Test
    void lastStepDecodeOfTwoTokensMatchesAttentionBuiltByHand() {
        DecodeSession s = runner.session(all, KvSharing.LAST_STEP);
        int[] tokens = {7, 30};
        RunResult r0 = s.append(tokens[0]);
        RunResult r1 = s.append(tokens[1]);
        RunResult fullDecode = decode(all, KvSharing.FULL, tokens)[1];
        int hd = c.headDim();
        int group = c.numHeads() / c.numKvHeads();
        double scale = 1.0 / Math.sqrt(hd);
        for (int t = 0; t < 3; t++) {
            for (int l = 0; l < c.numLayers(); l++) {
                float[] k0 = r0.trace().get(Site.layer(2, l, SiteKind.K)).data(); // last step's, position 0
                float[] v0 = r0.trace().get(Site.layer(2, l, SiteKind.V)).data();
                float[] q1 = r1.trace().get(Site.layer(t, l, SiteKind.Q)).data();
                float[] k1 = r1.trace().get(Site.layer(t, l, SiteKind.K)).data(); // own step t, position 1
                float[] v1 = r1.trace().get(Site.layer(t, l, SiteKind.V)).data();
                float[] probs = r1.trace().get(Site.layer(t, l, SiteKind.ATTN_PROBS)).data(); // [heads, 1, 2]
                double[] context = new double[c.qDim()];
                for (int h = 0; h < c.numHeads(); h++) {
                    int g = h / group;
                    double s0 = 0;
                    double s1 = 0;
                    for (int d = 0; d < hd; d++) {
                        s0 += (double) q1[h * hd + d] * k0[g * hd + d];
                        s1 += (double) q1[h * hd + d] * k1[g * hd + d];
                    }
                    double m = Math.max(s0, s1) * scale;
                    double e0 = Math.exp(s0 * scale - m);
                    double e1 = Math.exp(s1 * scale - m);
                    double p0 = e0 / (e0 + e1);
                    double p1 = e1 / (e0 + e1);
                    assertEquals(p0, probs[h * 2], 1e-6, "step " + t + " layer " + l + " head " + h);
                    assertEquals(p1, probs[h * 2 + 1], 1e-6);
                    for (int d = 0; d < hd; d++) {
                        context[h * hd + d] = p0 * v0[g * hd + d] + p1 * v1[g * hd + d];
                    }
                }
                LayerWeights lw = model.weights().layers().get(l);
                float[] wo = lw.oProj().dense(); // [hidden, qDim]
                int hidden = c.hiddenSize();
                double[] o = new double[hidden];
                double squares = 0;
                for (int i = 0; i < hidden; i++) {
                    for (int j = 0; j < c.qDim(); j++) {
                        o[i] += wo[i * c.qDim() + j] * context[j];
                    }
                    squares += o[i] * o[i];
                }
                double inv = 1.0 / Math.sqrt(squares / hidden + c.rmsNormEps());
                float[] attnOut = r1.trace().get(Site.layer(t, l, SiteKind.ATTN_OUT)).data();
                for (int i = 0; i < hidden; i++) {
                    assertEquals(o[i] * inv * lw.inputNorm2()[i], attnOut[i], 1e-5, "step " + t + " layer " + l + " [" + i + "]");
                }
            }
        }
        // Step 2 reads exactly what FULL reads; earlier steps read another step's keys, so they differ.
        assertArrayEquals(fullDecode.trace().get(Site.layer(0, 0, SiteKind.Q)).data(), r1.trace().get(Site.layer(0, 0, SiteKind.Q)).data());
        assertNotEquals(Arrays.toString(fullDecode.trace().get(Site.layer(0, 0, SiteKind.ATTN_PROBS)).data()),
                Arrays.toString(r1.trace().get(Site.layer(0, 0, SiteKind.ATTN_PROBS)).data()));
        assertTrue(TestModels.maxDiff(fullDecode.output().data(), r1.output().data()) > 1e-4, "the mode changes the answer");
    }

    @Test
    void modesParseFromTheirCliSpellingAndUnknownOnesAreRefused() {
        assertEquals(KvSharing.LAST_STEP, KvSharing.parse("last-step"));
        assertEquals(KvSharing.FIRST_STEP, KvSharing.parse("FIRST_STEP"));
        assertEquals(KvSharing.MEAN, KvSharing.parse(" mean "));
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> KvSharing.parse("middle"));
        assertTrue(e.getMessage().contains("'middle'") && e.getMessage().contains("last-step"), e.getMessage());
    }

    /** Prefill of the first token, then one call per remaining token. */
    private RunResult[] decode(RunOptions options, KvSharing mode, int[] tokens) {
        DecodeSession s = runner.session(options, mode);
        RunResult[] out = new RunResult[tokens.length];
        for (int i = 0; i < tokens.length; i++) {
            out[i] = s.append(tokens[i]);
        }
        return out;
    }

    private static void assertBitwise(float[] a, float[] b, String what) {
        assertEquals(a.length, b.length, what);
        for (int i = 0; i < a.length; i++) {
            assertEquals(Float.floatToRawIntBits(a[i]), Float.floatToRawIntBits(b[i]), what + "[" + i + "]");
        }
    }
}
