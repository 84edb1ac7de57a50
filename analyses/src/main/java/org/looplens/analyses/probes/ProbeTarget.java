package org.looplens.analyses.probes;

import java.util.Locale;

/** What the probes read: only the final answer, or the entity after every hop (the last is the answer). */
public enum ProbeTarget {
    ANSWER, HOPS;

    public String key() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** {@code answer} or {@code hop} (also {@code hops}), as on the command line. */
    public static ProbeTarget parse(String text) {
        return switch (text.toLowerCase(Locale.ROOT)) {
            case "answer" -> ANSWER;
            case "hop", "hops" -> HOPS;
            default -> throw new IllegalArgumentException("'" + text + "' is not answer or hop");
        };
    }
}
