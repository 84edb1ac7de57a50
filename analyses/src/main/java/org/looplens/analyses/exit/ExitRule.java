package org.looplens.analyses.exit;

import org.looplens.analyses.lens.LensQuantity;
import org.looplens.analyses.lens.StepLens;

/**
 * A rule that picks the step to stop at for one position of a lens: the learned gate (Q-exit), an
 * oracle that knows the final answer, or a confidence rule that needs no gate.
 */
public sealed interface ExitRule {
    /** Display name, also the CSV and JSON key. */
    String name();

    /** The 0-based step this rule stops at for a position. */
    int exitStep(StepLens lens, int position);

    /** The step the run's own exit policy chose (the learned gate under Q-exit). */
    record Gate() implements ExitRule {
        public String name() {
            return "gate";
        }

        public int exitStep(StepLens lens, int position) {
            int e = lens.exitSteps()[position];
            return e < 0 ? lens.steps() - 1 : e;
        }
    }

    /** The first step from which the top-1 answer never changes: the earliest safe stop. */
    record Oracle() implements ExitRule {
        public String name() {
            return "oracle";
        }

        public int exitStep(StepLens lens, int position) {
            return lens.decisionStep(position);
        }
    }

    /** Stop at the first step whose top-1 equals the previous step's. */
    record ArgmaxStable() implements ExitRule {
        public String name() {
            return "argmax-stable";
        }

        public int exitStep(StepLens lens, int position) {
            var steps = lens.readout().positions().get(position).steps();
            for (int t = 1; t < steps.size(); t++) {
                if (steps.get(t).top1() == steps.get(t - 1).top1()) {
                    return t;
                }
            }
            return steps.size() - 1;
        }
    }

    /** Stop at the first step whose prediction entropy falls below a threshold (nats). */
    record EntropyBelow(double nats) implements ExitRule {
        public String name() {
            return "entropy<" + nats;
        }

        public int exitStep(StepLens lens, int position) {
            for (int t = 0; t < lens.steps(); t++) {
                if (lens.value(LensQuantity.ENTROPY, position, t) < nats) {
                    return t;
                }
            }
            return lens.steps() - 1;
        }
    }

    /**
     * Stop at the first step whose hidden state moved less than a threshold relative to its size,
     * ‖h_t − h_{t−1}‖ / ‖h_t‖: the latent has settled, whatever the head makes of it.
     */
    record LatentChangeBelow(double threshold) implements ExitRule {
        public String name() {
            return "latent-change<" + threshold;
        }

        public int exitStep(StepLens lens, int position) {
            if (lens.latentChange() == null) {
                throw new IllegalArgumentException("the latent-change rule needs the step hidden states in the lens's run");
            }
            for (int t = 1; t < lens.steps(); t++) {
                if (lens.latentChange()[position][t - 1] < threshold) {
                    return t;
                }
            }
            return lens.steps() - 1;
        }
    }

    /** Stop at the first step whose prediction moved less than a threshold from the previous step's, KL(p_t ‖ p_{t−1}) in nats. */
    record StepKlBelow(double nats) implements ExitRule {
        public String name() {
            return "step-kl<" + nats;
        }

        public int exitStep(StepLens lens, int position) {
            for (int t = 1; t < lens.steps(); t++) {
                if (lens.stepKl()[position][t - 1] < nats) {
                    return t;
                }
            }
            return lens.steps() - 1;
        }
    }
}
