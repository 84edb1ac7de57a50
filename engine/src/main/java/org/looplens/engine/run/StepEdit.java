package org.looplens.engine.run;

import org.looplens.engine.InvalidInputException;

/**
 * A change to how often one loop step applies the shared stack. A step's transition is the stack
 * followed by the final norm ({@code h_t = norm(stack(h_{t−1}))}, the state the next step reads);
 * every step still reads out λ_t and logits_t once, so the exit distribution keeps its T steps.
 *
 * <ul>
 *   <li>{@link Kind#SKIP}: the state entering step t passes on unchanged, {@code h_t := h_{t−1}}
 *       ({@code h_{−1}} is the raw embedding); step t reads out that state, with no norm.</li>
 *   <li>{@link Kind#REPEAT}: the transition runs twice, {@code h_t := norm(stack(norm(stack(h_{t−1}))))};
 *       only the second application is visited by captures and interventions at step t.</li>
 * </ul>
 *
 * Nothing in the stack depends on the step index (RoPE uses token positions, and a full forward's
 * keys and values live only within one layer application), so a skip or a repeat shifts the later
 * steps by one exactly: see LoopRunner's step-edit tests.
 */
public record StepEdit(int step, Kind kind) {

    public enum Kind { SKIP, REPEAT }

    public StepEdit {
        if (step < 0) {
            throw new InvalidInputException("options", "a skipped or repeated step must be ≥ 0, got " + step);
        }
        if (kind == null) {
            throw new InvalidInputException("options", "a step edit needs a kind (skip or repeat)");
        }
    }

    public static StepEdit skip(int step) {
        return new StepEdit(step, Kind.SKIP);
    }

    public static StepEdit repeat(int step) {
        return new StepEdit(step, Kind.REPEAT);
    }

    /** How many times the transition runs at this edit's step: 0 or 2. */
    int applications() {
        return kind == Kind.SKIP ? 0 : 2;
    }

    /**
     * Transitions per step of a run of {@code steps}: 1, or 0 / 2 where an edit skips / repeats
     * it. The run and its capture estimate both read this, so the spill file sized from the
     * estimate holds exactly what the run records.
     */
    static int[] applications(java.util.List<StepEdit> edits, int steps) {
        int[] a = new int[steps];
        java.util.Arrays.fill(a, 1);
        for (StepEdit e : edits) {
            if (e.step() < steps) {
                a[e.step()] = e.applications();
            }
        }
        return a;
    }

    @Override
    public String toString() {
        return kind.name().toLowerCase(java.util.Locale.ROOT) + " step " + step;
    }
}
