package org.looplens.engine.trace;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import org.looplens.engine.tensor.FloatTensor;

/**
 * What a run recorded for one sequence: site → tensor, plus the absolute positions of the rows.
 * Per-position sites are {@code [P, width]} ({@code [P]} for the gate logit); attention
 * probabilities are {@code [heads, P, keys]}.
 */
public final class Trace {
    private final Map<Site, FloatTensor> values = new LinkedHashMap<>();
    private final int[] positions;

    public Trace(int[] positions) {
        this.positions = positions.clone();
    }

    public void put(Site site, FloatTensor value) {
        values.put(site, value);
    }

    /** The recorded value at a site, or an error naming the site if the plan did not capture it. */
    public FloatTensor get(Site site) {
        FloatTensor t = values.get(site);
        if (t == null) {
            throw new IllegalArgumentException("site " + site + " was not captured");
        }
        return t;
    }

    /** Every recorded site, in the order the computation reached them. */
    public Map<Site, FloatTensor> all() {
        return Collections.unmodifiableMap(values);
    }

    /** The absolute positions of the recorded rows. */
    public int[] positions() {
        return positions.clone();
    }

}
