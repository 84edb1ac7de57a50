package org.looplens.analyses.trajectory;

import java.util.Locale;

/**
 * What the loop's latent state does when it runs past the trained T: the mean relative change
 * ‖h_t − h_{t−1}‖ / ‖h_t‖ at the last step run is compared with the one at the trained T's last
 * step (the first transition when T was trained as 1).
 */
public enum Convergence {
    /** The run did not go past the trained T: nothing to judge. */
    WITHIN_TRAINED,
    /** Past the trained T the state moves less per step than it did at the trained T: a fixed point nears. */
    CONVERGING,
    /** Past the trained T the state moves as much per step as at the trained T, or more. */
    DRIFTING,
    /** Trained with one step and run for two: a single transition, nothing to compare it with. */
    UNDETERMINED;

    /** The name used in files: lower case with dashes. */
    public String key() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
