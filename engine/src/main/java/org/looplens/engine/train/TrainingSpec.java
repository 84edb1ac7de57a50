package org.looplens.engine.train;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * What to train, as written in a spec file ({@code looplens train SPEC.json}): the model, the task,
 * one or more phases (each an objective with its own optimiser schedule), batching, seeds,
 * evaluation and checkpointing. Read and checked by {@link TrainingSpecReader}.
 *
 * @param name        a label for logs and reports
 * @param model       the model to create or start from
 * @param task        the task (see {@link org.looplens.engine.data.TaskSpec})
 * @param phases      trained in order; e.g. Stage I then Stage II
 * @param batch       sequences per optimiser step, and micro-batches accumulated into one step
 * @param clip        global gradient-norm clipping threshold (0 = off)
 * @param seed        initialisation seed (data order comes from the task's own seed)
 * @param eval        validation during training and the final held-out evaluation
 * @param checkpoint  how often to save a resumable checkpoint and how many to keep
 * @param logEvery    optimiser steps between metric records
 */
public record TrainingSpec(String name, ModelSpec model, JsonNode task, List<PhaseSpec> phases, BatchSpec batch,
                           double clip, long seed, EvalSpec eval, CheckpointSpec checkpoint, int logEvery) {

    /** Either a Hugging Face Ouro config for a fresh model, or a checkpoint folder to start from. */
    public record ModelSpec(JsonNode config, String init) {}

    /**
     * One phase of training.
     *
     * @param objective    stage1 (β, optional geometric prior λ), stage2 (k, γ) or ce (last step)
     * @param steps        optimiser steps
     * @param lr           peak learning rate
     * @param warmup       linear warmup steps
     * @param schedule     "cosine" or "constant" after warmup
     * @param minLrRatio   final rate as a fraction of the peak (cosine)
     * @param weightDecay  AdamW decoupled decay on matrices
     */
    public record PhaseSpec(ObjectiveSpec objective, int steps, double lr, int warmup, String schedule,
                            double minLrRatio, double weightDecay) {}

    /** The loss of a phase and its parameters; unused parameters of other kinds must be absent. */
    public record ObjectiveSpec(String kind, Double beta, Double priorLambda, Double k, Double gamma) {

        public Objective create() {
            return switch (kind) {
                case "stage1" -> priorLambda == null
                        ? StageOneObjective.entropy(beta == null ? 0.1 : beta)
                        : StageOneObjective.geometricPrior(beta == null ? 0.1 : beta, priorLambda);
                case "stage2" -> new StageTwoObjective(k == null ? 50 : k, gamma == null ? 0.005 : gamma);
                case "ce" -> new LastStepCrossEntropy();
                default -> throw new IllegalStateException("unchecked objective kind " + kind);
            };
        }
    }

    /** @param size sequences per micro-batch; @param accumulate micro-batches per optimiser step */
    public record BatchSpec(int size, int accumulate) {}

    /**
     * @param every    optimiser steps between validation runs (0 = none); the held-out TEST split
     *                 is evaluated at the end in any case
     * @param examples held-out examples per evaluation
     */
    public record EvalSpec(int every, int examples) {}

    /**
     * @param every steps between resumable checkpoints (0 = none; the finished model is written at
     *              the end in any case, and Ctrl-C or cancel always saves one)
     * @param keep  how many to keep
     */
    public record CheckpointSpec(int every, int keep) {}

    /** Total optimiser steps over all phases. */
    public int totalSteps() {
        return phases.stream().mapToInt(PhaseSpec::steps).sum();
    }
}
