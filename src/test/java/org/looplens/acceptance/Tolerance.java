package org.looplens.acceptance;

/**
 * The tolerances the fixture READMEs set for a float32 engine, by tensor group:
 * {@code |got − expected| ≤ atol + rtol·|expected|} element-wise; exit indices exactly.
 */
record Tolerance(double atol, double rtol) {
    static final Tolerance EXACT = new Tolerance(0, 0);

    /**
     * The group a tensor name (without the sequence prefix) belongs to; {@code maxAbsExpected}
     * scales the gradient group's absolute tolerance.
     */
    static Tolerance forName(String name, double maxAbsExpected) {
        String leaf = name.substring(name.lastIndexOf('.') + 1);
        if (name.startsWith("stage1.grad.") || name.startsWith("stage2.grad.")) {
            return new Tolerance(1e-4 * maxAbsExpected, 1e-3);
        }
        if (name.startsWith("stage1.") || name.startsWith("stage2.")) {
            return new Tolerance(1e-5, 1e-5);
        }
        if (name.startsWith("exit_index_q")) {
            return EXACT;
        }
        if (name.startsWith("rope.")) {
            return new Tolerance(1e-6, 0);
        }
        if (name.startsWith("exit_")) {
            return new Tolerance(1e-5, 0);
        }
        return switch (leaf) {
            case "attn_probs" -> new Tolerance(1e-5, 0);
            case "logits", "expected_logits" -> new Tolerance(1e-4, 1e-4);
            case "gate_logit", "lambda" -> new Tolerance(1e-5, 1e-4);
            case "ce", "ce_mean", "hf_labels_loss" -> new Tolerance(1e-5, 1e-5);
            case "embed", "hidden", "hidden_prenorm", "attn_out", "mid", "mlp_out", "out" -> new Tolerance(1e-4, 1e-4);
            default -> throw new IllegalArgumentException("no tolerance group for tensor " + name);
        };
    }

    boolean accepts(double got, double expected) {
        return Math.abs(got - expected) <= atol + rtol * Math.abs(expected);
    }
}
