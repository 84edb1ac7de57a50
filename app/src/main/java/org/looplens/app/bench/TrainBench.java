package org.looplens.app.bench;

import java.util.List;
import org.looplens.engine.kernels.Kernels;
import org.looplens.engine.model.LoopModel;
import org.looplens.engine.model.RandomInit;
import org.looplens.engine.train.AdamW;
import org.looplens.engine.train.Batch;
import org.looplens.engine.train.StageOneObjective;
import org.looplens.engine.train.TrainStep;

/**
 * Training throughput: forward over all T steps with every step's logits, Stage I loss (β = 0.1),
 * backward, clipping at 1.0 and AdamW (lr 3e-4, weight decay 0.1), on random tokens.
 */
public final class TrainBench {
    private TrainBench() {}

    public static Timing run(BenchPreset preset, Kernels kernels, double seconds) {
        LoopModel model = RandomInit.create(preset.config(), 1);
        TrainStep step = new TrainStep(model, kernels);
        List<Batch> batch = List.of(Batch.of(RandomBatches.of(preset.batch, preset.sequence, preset.vocab, 2)));
        StageOneObjective objective = StageOneObjective.entropy(0.1);
        AdamW optimizer = AdamW.defaults();
        return Timing.measure(seconds, 2, () -> step.run(batch, objective, optimizer, 3e-4, 0.1, 1.0).tokens());
    }
}
