package org.looplens.analyses.trajectory;

import java.util.Arrays;
import java.util.Locale;

/** Which positions of each prompt have their path through the loop traced. */
public enum TracedPositions {
    /** The last position: where the prompt's answer is read. */
    LAST,
    /** Every position of the prompt. */
    ALL;

    /** The name used on the command line: lower case. */
    public String key() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Parses {@link #key()}; the message lists the choices. */
    public static TracedPositions parse(String key) {
        for (TracedPositions p : values()) {
            if (p.key().equals(key)) {
                return p;
            }
        }
        throw new IllegalArgumentException("'" + key + "' is not one of "
                + Arrays.stream(values()).map(TracedPositions::key).toList());
    }
}
