package org.looplens.engine.run;

import java.util.List;
import org.looplens.engine.InvalidInputException;
import org.looplens.engine.config.LoopConfig;

/**
 * Refuses a run whose buffers cannot exist, before any of them is allocated: one that needs an
 * array longer than Java allows, or more bytes than this JVM may ever use. The count is a lower
 * bound (the key/value cache, the per-call workspace and the per-step bookkeeping, not captured
 * activations), so it never refuses a run that would fit; it turns the hopeless requests, such as
 * a hundred million loop steps, into one clear line instead of an {@link OutOfMemoryError}.
 */
final class RunBudget {
    /** Largest Java array length that every JVM allows. */
    static final long MAX_ARRAY_LENGTH = Integer.MAX_VALUE - 8;

    private RunBudget() {}

    /** Checks a forward over {@code sequences}, each starting at position 0 of an empty cache. */
    static void forward(LoopConfig c, int steps, List<int[]> sequences) {
        long rows = 0;
        long maxLen = 0;
        for (int[] s : sequences) {
            rows += s.length;
            maxLen = Math.max(maxLen, s.length);
        }
        check(c, steps, rows, maxLen, rows, rows + " position" + (rows == 1 ? "" : "s"));
    }

    /**
     * Checks a training tape: every (step, layer) keeps its own buffers and attention
     * probabilities, so the tape, not the workspace, is what outgrows memory first.
     */
    static void tape(LoopConfig c, int steps, long rows, long probs) {
        String what = rows + " position" + (rows == 1 ? "" : "s") + " (with gradients)";
        long perRow = 6L * c.hiddenSize() + 2L * c.qDim() + 2L * c.kvDim() + 3L * c.intermediateSize();
        array(satMul(rows, Math.max(c.vocabSize(), c.intermediateSize())), steps, what);
        array(probs, steps, what);
        long floats = satMul(satMul(steps, c.numLayers()), satAdd(satMul(rows, perRow), probs));
        floats = satAdd(floats, satMul(satMul(steps, rows), 2L * c.hiddenSize() + c.vocabSize() + 1));
        refuseAbove(satMul(floats, Float.BYTES), steps, what, "use fewer or shorter sequences");
    }

    /** Checks a decode session's first cache of {@code capacity} positions, kept as {@code sharing} says. */
    static void session(LoopConfig c, int steps, KvSharing sharing, int capacity) {
        check(c, steps, sharing.shared() ? 1 : steps, 0, 0, capacity, "a decode session");
    }

    private static void check(LoopConfig c, int steps, long rows, long maxLen, long cachedPositions, String what) {
        check(c, steps, steps, rows, maxLen, cachedPositions, what);
    }

    /** {@code cacheSteps}: the key/value slots per layer (T, or 1 for a shared cache). */
    private static void check(LoopConfig c, int steps, int cacheSteps, long rows, long maxLen, long cachedPositions,
                              String what) {
        long vocab = c.vocabSize();
        long widest = Math.max(Math.max(c.hiddenSize(), c.qDim()), Math.max(c.intermediateSize(), vocab));
        array(satMul(rows, widest), steps, what);
        array(satMul(c.numHeads(), satMul(maxLen, maxLen)), steps, what);
        array(cachedPositions * c.kvDim(), steps, what);

        // Keys and values: one slot per (step, layer), or per layer when shared.
        long floats = satMul(satMul(2L * cacheSteps, c.numLayers()), cachedPositions * c.kvDim());
        // Workspace rows, attention probabilities, and the output collector's logits.
        long perRow = 5L * c.hiddenSize() + 2L * c.qDim() + 2L * c.kvDim() + 2L * c.intermediateSize() + 2 * vocab + 1;
        floats = satAdd(floats, satMul(rows, perRow));
        floats = satAdd(floats, satMul(c.numHeads(), satMul(maxLen, maxLen)));
        // Gate logits and λ (floats) and the exit pdf, cdf and survival (doubles), per step and row.
        floats = satAdd(floats, satMul(8L * steps, rows));
        refuseAbove(satMul(floats, Float.BYTES), steps, what, "run fewer steps or positions");
    }

    /** Refuses a run whose buffers need more bytes than this JVM may ever use. */
    private static void refuseAbove(long bytes, int steps, String what, String advice) {
        long limit = Runtime.getRuntime().maxMemory();
        if (bytes > limit) {
            throw new InvalidInputException("options", steps + " loop steps over " + what + " need at least "
                    + size(bytes) + " of memory, more than the " + size(limit) + " this JVM may use; " + advice
                    + ", or raise -Xmx");
        }
    }

    private static void array(long length, int steps, String what) {
        if (length > MAX_ARRAY_LENGTH) {
            throw new InvalidInputException("options", steps + " loop steps over " + what + " need a buffer of "
                    + length + " elements, more than one Java array can hold (" + MAX_ARRAY_LENGTH + ")");
        }
    }

    private static long satMul(long a, long b) {
        long hi = Math.multiplyHigh(a, b);
        long lo = a * b;
        return (hi == 0 && lo >= 0) ? lo : Long.MAX_VALUE;
    }

    private static long satAdd(long a, long b) {
        long s = a + b;
        return s < 0 ? Long.MAX_VALUE : s;
    }

    private static String size(long bytes) {
        return bytes < (1L << 30) ? String.format("%d MiB", bytes >> 20)
                : String.format("%.1f GiB", bytes / (double) (1L << 30));
    }
}
