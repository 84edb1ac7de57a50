package org.looplens.app.bench;

import java.util.List;
import org.looplens.engine.InvalidInputException;
import org.looplens.engine.kernels.Kernels;
import org.looplens.engine.model.LoopModel;
import org.looplens.engine.model.RandomInit;
import org.looplens.engine.run.LoopRunner;
import org.looplens.engine.run.RunOptions;
import org.looplens.engine.trace.CaptureBuffers;
import org.looplens.engine.trace.CapturePlan;
import org.looplens.engine.trace.SiteKind;

/** Inference throughput of a batch through all loop steps, with nothing, the step states or everything captured. */
public final class ForwardBench {
    private ForwardBench() {}

    /** What {@code --capture} names. */
    public static CapturePlan plan(String capture) {
        return switch (capture) {
            case "none" -> CapturePlan.none();
            case "steps" -> CapturePlan.kinds(SiteKind.STEP_HIDDEN, SiteKind.GATE_LOGIT, SiteKind.STEP_LOGITS);
            case "all" -> CapturePlan.all();
            default -> throw new InvalidInputException("--capture", "'" + capture + "' is not one of none, steps, all");
        };
    }

    /**
     * Multiply-adds per token of the forward this benchmark runs: every layer at every loop step,
     * attention over the causal prefix (half the sequence on average), the exit gate, and the LM
     * head once without capture (only the last step is read) or at every step when the step logits
     * are captured. The ratio of two captures' counts is the slowdown their extra work alone costs.
     */
    public static long multiplyAddsPerToken(BenchPreset preset, String capture) {
        var c = preset.config();
        long h = c.hiddenSize();
        long attention = (preset.sequence + 1) / 2 * (long) c.numHeads() * c.headDim() * 2;
        long layer = h * (c.qDim() + 2L * c.kvDim()) + (long) c.qDim() * h + 3 * h * c.intermediateSize() + attention;
        long steps = c.totalUtSteps();
        long heads = capture.equals("none") ? 1 : steps;
        return steps * (c.numLayers() * layer + h) + heads * h * c.vocabSize();
    }

    public static Timing run(BenchPreset preset, Kernels kernels, String capture, double seconds) {
        LoopModel model = RandomInit.create(preset.config(), 1);
        LoopRunner runner = new LoopRunner(model, kernels);
        List<int[]> batch = RandomBatches.of(preset.batch, preset.sequence, preset.vocab, 2);
        RunOptions options = RunOptions.defaults().withCapture(plan(capture)).withCaptureBuffers(new CaptureBuffers());
        return Timing.measure(seconds, 2, () -> {
            runner.forward(batch, options);
            return preset.tokensPerBatch();
        });
    }
}
