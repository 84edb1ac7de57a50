package org.looplens.engine.trace;

/**
 * Reads, and may change, the activation at a site while a run passes through it. What the
 * intervention writes is what the rest of the computation sees (and what a capture records).
 * Build common ones with {@link Interventions}.
 */
public interface Intervention {

    /** Whether this intervention acts at the site. Called for every site a run reaches. */
    boolean targets(Site site);

    /** Acts on the activation of one sequence at a targeted site, in place. */
    void apply(Activation activation);
}
