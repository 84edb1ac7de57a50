package org.looplens.engine.run;

import org.looplens.engine.InvalidInputException;
import org.looplens.engine.tensor.FloatTensor;
import org.looplens.engine.trace.CapturePlan;
import org.looplens.engine.trace.Site;
import org.looplens.engine.trace.SiteKind;
import org.looplens.engine.trace.Trace;

/**
 * Where a full forward of one sequence starts instead of the embedding: just before layer
 * {@code layer} of step {@code step}, from a saved residual stream, with the outputs of the earlier
 * steps given rather than recomputed. A sweep that changes the computation only from (step, layer)
 * on (patching, ablation) runs its base once and resumes every variant here, so each variant
 * recomputes only what follows. {@code layer} may equal the number of layers: the stack of the step
 * is done and the run resumes at its final norm and readout (for step-level sites).
 *
 * <p>Since the resumed run computes the rest with the same kernels on the same rows, it equals the
 * full run bit for bit (see the resume tests). The trace of a resumed run holds only the sites it
 * reached, and an intervention aimed at an earlier site is refused, not silently skipped.
 *
 * @param step       0-based step to resume in
 * @param layer      0-based layer to resume before, 0..layers
 * @param residual   the residual stream entering that layer, all positions {@code [L·hidden]}
 * @param gateLogits exit-gate logits of the steps before {@code step}, {@code [step][L]}
 * @param stepLogits logits of the steps before {@code step}, {@code [step][L·vocab]}; an entry
 *                   may be null where the exit policy does not read that step
 */
public record ResumePoint(int step, int layer, float[] residual, float[][] gateLogits, float[][] stepLogits) {

    public ResumePoint {
        if (step < 0 || layer < 0) {
            throw new InvalidInputException("resume", "step and layer must be ≥ 0, got step " + step + " layer " + layer);
        }
        if (residual == null || gateLogits == null || stepLogits == null) {
            throw new InvalidInputException("resume", "needs the residual, the gate logits and the step logits");
        }
        if (gateLogits.length != step || stepLogits.length != step) {
            throw new InvalidInputException("resume", "resuming in step " + step + " needs the outputs of " + step
                    + " earlier steps, got " + gateLogits.length + " gate and " + stepLogits.length + " logit rows");
        }
    }

    /**
     * What a base run must capture so that {@link #of} can resume it anywhere: every layer input
     * (the embedding, each step's hidden state, each layer's output) and, when the exit policy reads
     * steps before the last, every step's logits.
     */
    public static CapturePlan capture(ExitPolicy policy) {
        return policy instanceof ExitPolicy.LastStep
                ? CapturePlan.kinds(SiteKind.EMBED, SiteKind.STEP_HIDDEN, SiteKind.LAYER_OUT)
                : CapturePlan.kinds(SiteKind.EMBED, SiteKind.STEP_HIDDEN, SiteKind.LAYER_OUT, SiteKind.STEP_LOGITS);
    }

    /** The resume point of a base run (captured with {@link #capture} at all positions) at (step, layer). */
    public static ResumePoint of(RunResult base, int step, int layer) {
        if (base.firstPosition() != 0) {
            throw new InvalidInputException("resume", "the base run must be a full forward from position 0");
        }
        if (step >= base.steps()) {
            throw new InvalidInputException("resume", "step " + step + " is not below the base run's " + base.steps() + " steps");
        }
        Trace trace = base.trace();
        if (trace.positions().length != base.length()) {
            throw new InvalidInputException("resume", "the base run must capture every position");
        }
        Site entry = layer > 0 ? Site.layer(step, layer - 1, SiteKind.LAYER_OUT)
                : step > 0 ? Site.step(step - 1, SiteKind.STEP_HIDDEN) : Site.embed();
        float[][] gates = new float[step][];
        float[][] logits = new float[step][];
        for (int t = 0; t < step; t++) {
            gates[t] = base.gateLogits()[t];
            FloatTensor l = trace.all().get(Site.step(t, SiteKind.STEP_LOGITS));
            logits[t] = l == null ? null : l.data();
        }
        FloatTensor x = trace.all().get(entry);
        if (x == null) {
            throw new InvalidInputException("resume", "site " + entry + " was not captured by the base run;"
                    + " capture ResumePoint.capture(policy)");
        }
        return new ResumePoint(step, layer, x.data(), gates, logits);
    }
}
