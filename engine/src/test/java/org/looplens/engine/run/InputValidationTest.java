package org.looplens.engine.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.looplens.engine.InvalidInputException;
import org.looplens.engine.config.LoopConfig;
import org.looplens.engine.kernels.CpuKernels;
import org.looplens.engine.model.RandomInit;

/** Token sequences and run options a model cannot run are refused with a one-line reason. */
class InputValidationTest {
    private static final int VOCAB = 16;
    private static final int CONTEXT = 8;
    private static final int STEPS = 2;

    private static final LoopRunner RUNNER = new LoopRunner(RandomInit.create(config(), 11), CpuKernels.shared());

    private static LoopConfig config() {
        Map<String, Object> fields = new HashMap<>(Map.of("vocab_size", VOCAB, "hidden_size", 8,
                "intermediate_size", 16, "num_hidden_layers", 1, "num_attention_heads", 2,
                "num_key_value_heads", 1, "total_ut_steps", STEPS));
        fields.put("max_position_embeddings", CONTEXT);
        return LoopConfig.of(fields);
    }

    private static RunOptions defaults() {
        return RunOptions.defaults();
    }

    private static InvalidInputException refused(Executable call, String source, String... fragments) {
        InvalidInputException e = assertThrows(InvalidInputException.class, call);
        assertEquals(source, e.source());
        for (String f : fragments) {
            assertTrue(e.getMessage().contains(f), () -> "no '" + f + "' in: " + e.getMessage());
        }
        assertFalse(e.getMessage().contains("\n"), e.getMessage());
        return e;
    }

    @Test
    void validInputAtTheLimitsRuns() {
        int[] tokens = {0, VOCAB - 1, 3, 4, 5, 6, 7, VOCAB - 1};
        RunResult r = RUNNER.forward(tokens, defaults());
        assertEquals(CONTEXT, r.length());
        assertEquals(STEPS, r.steps());
        assertEquals(List.of(CONTEXT, VOCAB), List.of(r.output().dim(0), r.output().dim(1)));
    }

    /** A cancelled background job interrupts its thread: the next run refuses to start, and the flag stays set. */
    @Test
    void anInterruptedThreadRunsNothing() {
        Thread.currentThread().interrupt();
        try {
            assertThrows(java.util.concurrent.CancellationException.class, () -> RUNNER.forward(new int[] {1, 2}, defaults()));
            assertTrue(Thread.currentThread().isInterrupted());
        } finally {
            Thread.interrupted();
        }
        assertEquals(2, RUNNER.forward(new int[] {1, 2}, defaults()).length());
    }

    @Test
    void emptyTokens() {
        refused(() -> RUNNER.forward(new int[0], defaults()), "input", "empty token sequence");
    }

    @Test
    void noSequences() {
        refused(() -> RUNNER.forward(List.of(), defaults()), "input", "no sequences");
    }

    @Test
    void tokenIdEqualToVocabSize() {
        refused(() -> RUNNER.forward(new int[] {1, 2, VOCAB}, defaults()), "input",
                "token id 16", "position 2", "vocab_size 16");
    }

    @Test
    void negativeTokenId() {
        refused(() -> RUNNER.forward(new int[] {-1, 2}, defaults()), "input", "token id -1", "position 0");
    }

    @Test
    void badTokenInTheSecondSequenceOfABatchNamesTheSequence() {
        refused(() -> RUNNER.forward(List.of(new int[] {1, 2}, new int[] {3, 99}), defaults()),
                "input sequence 1", "token id 99", "position 1");
    }

    @Test
    void morePositionsThanTheContext() {
        refused(() -> RUNNER.forward(new int[CONTEXT + 1], defaults()), "input",
                "9 positions", "max_position_embeddings 8");
    }

    @Test
    void decodingPastTheContextIsRefusedAndLeavesTheSessionUsable() {
        DecodeSession session = RUNNER.session(defaults());
        session.append(new int[CONTEXT - 1]);
        refused(() -> session.append(1, 2), "input", "9 positions", "max_position_embeddings");
        refused(() -> session.append(VOCAB), "input", "token id 16", "position 7");
        assertEquals(CONTEXT - 1, session.length());
        assertEquals(7, session.append(3).firstPosition());
        assertEquals(CONTEXT, session.length());
    }

    @Test
    void zeroSteps() {
        refused(() -> defaults().withSteps(0), "options", "steps must be at least 1, got 0");
    }

    @Test
    void negativeStepsInTheConstructor() {
        refused(() -> new RunOptions(-3, null, null, null), "options", "got -3");
    }

    @Test
    void fixedExitStepBeyondTheSteps() {
        RunOptions options = defaults().withExitPolicy(ExitPolicy.fixedStep(STEPS));
        refused(() -> RUNNER.forward(new int[] {1, 2}, options), "options", "exit step 2", "2 steps");
    }

    @Test
    void fixedExitStepBeyondExplicitSteps() {
        RunOptions options = defaults().withSteps(3).withExitPolicy(ExitPolicy.fixedStep(5));
        refused(() -> RUNNER.forward(new int[] {1, 2}, options), "options", "exit step 5", "3 steps");
    }

    @Test
    void fixedExitStepBeyondTheStepsRefusesADecodeSession() {
        RunOptions options = defaults().withExitPolicy(ExitPolicy.fixedStep(STEPS));
        refused(() -> RUNNER.session(options), "options", "exit step 2");
    }

    @Test
    void negativeFixedExitStep() {
        refused(() -> defaults().withExitPolicy(ExitPolicy.fixedStep(-1)), "options", "exit step", "-1");
    }

    @Test
    void lastValidFixedExitStepRuns() {
        RunResult r = RUNNER.forward(new int[] {1, 2}, defaults().withExitPolicy(ExitPolicy.fixedStep(STEPS - 1)));
        assertEquals(STEPS - 1, r.exitSteps()[0]);
        assertEquals(STEPS - 1, r.exitSteps()[1]);
    }

    @Test
    void qThresholdAboveOne() {
        refused(() -> defaults().withExitPolicy(ExitPolicy.qExit(1.5)), "options", "[0, 1]", "1.5");
    }

    @Test
    void qThresholdBelowZero() {
        refused(() -> defaults().withExitPolicy(ExitPolicy.qExit(-0.25)), "options", "[0, 1]", "-0.25");
    }

    @Test
    void qThresholdNaN() {
        refused(() -> defaults().withExitPolicy(ExitPolicy.qExit(Double.NaN)), "options", "[0, 1]", "NaN");
    }

    @Test
    void qThresholdBoundsAreAccepted() {
        RunResult zero = RUNNER.forward(new int[] {1, 2}, defaults().withExitPolicy(ExitPolicy.qExit(0)));
        RunResult one = RUNNER.forward(new int[] {1, 2}, defaults().withExitPolicy(ExitPolicy.qExit(1)));
        assertEquals(0, zero.exitSteps()[0]);
        assertEquals(STEPS - 1, one.exitSteps()[0]);
    }

    @Test
    void stepsThatCannotFitInMemoryAreRefusedBeforeAllocating() {
        RunOptions options = defaults().withSteps(Integer.MAX_VALUE);
        refused(() -> RUNNER.forward(new int[] {1, 2}, options), "options",
                Integer.MAX_VALUE + " loop steps over 2 positions", "GiB", "-Xmx");
    }

    @Test
    void stepsThatCannotFitInMemoryRefuseADecodeSession() {
        RunOptions options = defaults().withSteps(Integer.MAX_VALUE);
        refused(() -> RUNNER.session(options), "options", "loop steps over a decode session", "GiB");
    }
}
