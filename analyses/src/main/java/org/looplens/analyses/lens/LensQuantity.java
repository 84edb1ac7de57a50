package org.looplens.analyses.lens;

/** What a cell of the tokens × steps lens shows. */
public enum LensQuantity {
    TOP1_PROB("top-1 probability", "p"),
    ENTROPY("entropy of the prediction", "nats"),
    LAMBDA("exit gate λ", "λ"),
    EXIT_PDF("exit probability p(t)", "p(t)"),
    KL_TO_FINAL("KL(step t ‖ final step)", "nats"),
    FINAL_RANK("rank of the final answer", "rank"),
    TARGET_PROB("probability of the target token", "p"),
    TARGET_RANK("rank of the target token", "rank");

    private final String label;
    private final String unit;

    LensQuantity(String label, String unit) {
        this.label = label;
        this.unit = unit;
    }

    /** Whether the quantity is about a chosen target token, so a lens has it only when given one. */
    public boolean needsTarget() {
        return this == TARGET_PROB || this == TARGET_RANK;
    }

    public String label() {
        return label;
    }

    public String unit() {
        return unit;
    }

    /** The name used on the command line and in files: lower case with dashes. */
    public String key() {
        return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
    }

    /** Parses {@link #key()}; the message lists the choices. */
    public static LensQuantity parse(String key) {
        for (LensQuantity q : values()) {
            if (q.key().equals(key)) {
                return q;
            }
        }
        throw new IllegalArgumentException("'" + key + "' is not a lens quantity; choose one of "
                + java.util.Arrays.stream(values()).map(LensQuantity::key).toList());
    }
}
