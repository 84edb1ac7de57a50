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
