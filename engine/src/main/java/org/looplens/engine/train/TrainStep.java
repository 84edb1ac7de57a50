package org.looplens.engine.train;

import java.util.List;
import org.looplens.engine.kernels.Kernels;
import org.looplens.engine.model.LoopModel;
import org.looplens.engine.run.ForwardTape;
import org.looplens.engine.run.LoopRunner;
import org.looplens.engine.run.RunOptions;

/**
 * One optimiser step: forward over all loop steps on each micro-batch, the objective, the
 * backward pass, gradient averaging over micro-batches, clipping by the global norm, and AdamW.
 * Shared by training runs and the training benchmark, so both measure the same work.
 */
public final class TrainStep {
    private final LoopModel model;
    private final Parameters params;
    private final LoopRunner runner;
    private final Backprop backprop;
    private final int steps;
    private ForwardTape tape; // reused from step to step while batches fit
    private final StepGradients upstream;

    public TrainStep(LoopModel model, Kernels kernels) {
        this.model = model;
        this.params = Parameters.of(model);
        this.runner = new LoopRunner(model, kernels);
        this.backprop = new Backprop(model, kernels);
        this.steps = model.config().totalUtSteps();
        this.upstream = new StepGradients(steps);
    }

    public Parameters parameters() {
        return params;
    }

    /** What one step did. {@code updated} is false when a non-finite value stopped it before the update. */
    public record Result(LossReport report, double gradNorm, int tokens, boolean updated) {}

    /**
     * Computes the averaged gradients of {@code objective} over the micro-batches and, when they
     * and the loss are finite, clips them to {@code clip} (0 = off) and applies one AdamW update.
     */
    public Result run(List<Batch> microBatches, Objective objective, AdamW optimizer, double lr, double weightDecay,
                      double clip) {
        params.zeroGradients();
        LossReport report = null;
        int tokens = 0;
        for (int a = 0; a < microBatches.size(); a++) {
            Batch batch = microBatches.get(a);
            tokens += batch.rows();
            tape = ForwardTape.reuse(tape, model.config(), steps, batch.lengths());
            runner.forward(batch.sequences(), RunOptions.defaults(), tape);
            upstream.clear();
            LossReport r = objective.evaluate(tape, batch, upstream);
            backprop.backward(tape, batch, upstream, params.gradients(), objective.trainsLanguageModel());
            report = report == null ? r : average(report, r, a);
        }
        if (microBatches.size() > 1) {
            params.scaleGradients(1.0 / microBatches.size());
        }
        boolean gateOnly = !objective.trainsLanguageModel();
        double gradNorm = params.gradientNorm(gateOnly);
        if (!report.finite() || !Double.isFinite(gradNorm)) {
            return new Result(report, gradNorm, tokens, false);
        }
        if (clip > 0 && gradNorm > clip) {
            params.scaleGradients(clip / gradNorm);
        }
        optimizer.step(params, lr, weightDecay, e -> !gateOnly || e.isExitGate());
        return new Result(report, gradNorm, tokens, true);
    }

    /** The running mean of micro-batch reports (weights by micro-batch, as the gradients are). */
    private static LossReport average(LossReport a, LossReport b, int index) {
        double wa = (double) index / (index + 1);
        double wb = 1.0 / (index + 1);
        double[] steps = new double[a.stepLosses().length];
        double[] pdf = new double[steps.length];
        for (int t = 0; t < steps.length; t++) {
            steps[t] = wa * a.stepLosses()[t] + wb * b.stepLosses()[t];
            pdf[t] = wa * a.meanExitPdf()[t] + wb * b.meanExitPdf()[t];
        }
        return new LossReport(wa * a.loss() + wb * b.loss(), steps, wa * a.expectedTaskLoss() + wb * b.expectedTaskLoss(),
                wa * a.exitEntropy() + wb * b.exitEntropy(), pdf, a.countedRows() + b.countedRows());
    }
}
