package org.looplens.engine.run;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.looplens.engine.InvalidInputException;
import org.looplens.engine.TestModels;
import org.looplens.engine.kernels.CpuKernels;
import org.looplens.engine.model.LoopModel;
import org.looplens.engine.trace.CapturePlan;
import org.looplens.engine.trace.Site;
import org.looplens.engine.trace.SiteKind;

/**
 * Skipping or repeating a step against its definition. The stack never sees the step index (RoPE
 * is by token position; a full forward's keys and values live within one layer application), so
 * a skip or repeat only shifts the later steps: they equal other steps of a plain run bit for bit.
 */
class StepEditTest {
    private static final int STEPS = 4;
    private final LoopModel model = TestModels.random(TestModels.gqaConfig(), 5);
    private final LoopRunner runner = new LoopRunner(model, CpuKernels.shared());
    private final int[] tokens = TestModels.tokens(8, 37, 9);
    private final CapturePlan readouts = CapturePlan.kinds(SiteKind.EMBED, SiteKind.STEP_HIDDEN, SiteKind.STEP_LOGITS);

    private RunResult plain(int steps) {
        return runner.forward(tokens, RunOptions.defaults().withSteps(steps).withCapture(readouts));
    }

    private RunResult edited(StepEdit edit) {
        return runner.forward(tokens, RunOptions.defaults().withSteps(STEPS).withCapture(readouts)
                .withStepEdits(List.of(edit)));
    }

    private static float[] at(RunResult r, int step, SiteKind kind) {
        return kind == SiteKind.EMBED ? r.trace().get(Site.embed()).data() : r.trace().get(Site.step(step, kind)).data();
    }

    @Test
    void skippingStepZeroReadsOutTheEmbeddingThenRunsThePlainStepsOneLate() {
        RunResult skip = edited(StepEdit.skip(0));
        RunResult plain = plain(STEPS - 1);
        assertArrayEquals(at(plain, 0, SiteKind.EMBED), at(skip, 0, SiteKind.STEP_HIDDEN), "h_0 := h_-1, the embedding");
        float[] w = model.weights().exitGateWeight();
        float[] emb = at(plain, 0, SiteKind.EMBED);
        int h = w.length;
        for (int i = 0; i < tokens.length; i++) { // the gate of the unnormed embedding, recomputed here
            double g = model.weights().exitGateBias()[0];
            for (int j = 0; j < h; j++) {
                g += (double) w[j] * emb[i * h + j];
            }
            assertTrue(Math.abs(g - skip.gateLogits()[0][i]) <= 1e-5 * (1 + Math.abs(g)), "gate at position " + i);
        }
        for (int s = 1; s < STEPS; s++) {
            assertArrayEquals(at(plain, s - 1, SiteKind.STEP_HIDDEN), at(skip, s, SiteKind.STEP_HIDDEN), "h of step " + s);
            assertArrayEquals(at(plain, s - 1, SiteKind.STEP_LOGITS), at(skip, s, SiteKind.STEP_LOGITS), "logits of step " + s);
            assertArrayEquals(plain.gateLogits()[s - 1], skip.gateLogits()[s], "gate of step " + s);
        }
    }

    @Test
    void skippingALaterStepRepeatsTheReadoutBeforeItAndShiftsTheRest() {
        for (int t = 1; t < STEPS; t++) {
            RunResult skip = edited(StepEdit.skip(t));
            RunResult plain = plain(STEPS - 1);
            for (int s = 0; s < STEPS; s++) {
                int same = s < t ? s : s - 1; // step t reads h_{t-1} again; later steps run one late
                assertArrayEquals(at(plain, same, SiteKind.STEP_LOGITS), at(skip, s, SiteKind.STEP_LOGITS),
                        "skip " + t + ", step " + s);
                assertArrayEquals(plain.gateLogits()[same], skip.gateLogits()[s], "skip " + t + ", gate of step " + s);
            }
        }
    }

    @Test
    void repeatingAStepEqualsTheRunWithOneMoreStepLessTheReadoutInBetween() {
        for (int t = 0; t < STEPS; t++) {
            RunResult repeat = edited(StepEdit.repeat(t));
            RunResult longer = plain(STEPS + 1);
            for (int s = 0; s < STEPS; s++) {
                int same = s < t ? s : s + 1; // step t reads h_{t+1} of the longer run
                assertArrayEquals(at(longer, same, SiteKind.STEP_HIDDEN), at(repeat, s, SiteKind.STEP_HIDDEN),
                        "repeat " + t + ", h of step " + s);
                assertArrayEquals(at(longer, same, SiteKind.STEP_LOGITS), at(repeat, s, SiteKind.STEP_LOGITS),
                        "repeat " + t + ", logits of step " + s);
                assertArrayEquals(longer.gateLogits()[same], repeat.gateLogits()[s], "repeat " + t + ", gate of step " + s);
            }
            assertArrayEquals(longer.output().data(), repeat.output().data(), "last-step output of repeat " + t);
        }
    }

    @Test
    void editsOutsideTheRunOrTwiceAtOneStepOrWhileDecodingAreRefused() {
        var e = assertThrows(InvalidInputException.class, () -> edited(StepEdit.skip(STEPS)));
        assertTrue(e.getMessage().contains("skip step 4") && e.getMessage().contains("4 steps"), e.getMessage());
        e = assertThrows(InvalidInputException.class, () -> RunOptions.defaults()
                .withStepEdits(List.of(StepEdit.skip(1), StepEdit.repeat(1))));
        assertTrue(e.getMessage().contains("at most one"), e.getMessage());
        e = assertThrows(InvalidInputException.class, () -> StepEdit.repeat(-1));
        assertTrue(e.getMessage().contains("≥ 0"), e.getMessage());
        e = assertThrows(InvalidInputException.class, () -> runner.session(RunOptions.defaults()
                .withStepEdits(List.of(StepEdit.repeat(0)))));
        assertTrue(e.getMessage().contains("full forward"), e.getMessage());
    }
}
