package org.looplens.engine.run;

import org.looplens.engine.tensor.FloatTensor;
import org.looplens.engine.trace.Site;
import org.looplens.engine.trace.SiteKind;
import org.looplens.engine.trace.Trace;

/**
 * The outcome of running one sequence (or one chunk of it, while decoding) through all loop steps.
 *
 * @param tokens        the tokens of this chunk
 * @param firstPosition absolute position of the first token (0 for a full forward)
 * @param steps         number of loop steps T that ran
 * @param gateLogits    exit-gate logits {@code [step][position]}
 * @param lambda        σ(gate logit) {@code [step][position]}
 * @param exit          the exit distribution per position
 * @param output        the logits the exit policy reports {@code [L, vocab]}
 * @param exitSteps     the step each position's output came from, or −1 for the mixture
 * @param trace         what the capture plan recorded
 */
public record RunResult(
        int[] tokens,
        int firstPosition,
        int steps,
        float[][] gateLogits,
        float[][] lambda,
        ExitDistribution exit,
        FloatTensor output,
        int[] exitSteps,
        Trace trace) {

    public int length() {
        return tokens.length;
    }

    /** Logits of step t {@code [L, vocab]}; needs STEP_LOGITS in the capture plan. */
    public FloatTensor stepLogits(int step) {
        return trace.get(Site.step(step, SiteKind.STEP_LOGITS));
    }

}
