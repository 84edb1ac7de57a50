package org.looplens.engine.run;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.util.List;
import org.looplens.engine.InvalidInputException;
import org.looplens.engine.config.LoopConfig;

/**
 * Refuses a run whose buffers cannot exist, before any of them is allocated: one that needs an
 * array longer than Java allows, or more bytes than this JVM may ever use (or than the run's
 * {@link RunOptions#memoryBudget()}). The count is a lower bound (the key/value cache, the
 * per-call workspace, the per-step bookkeeping and the trace's index of captured tensors), so it
 * never refuses a run that would fit; it turns the hopeless requests, such as a hundred million
 * loop steps, into one clear line naming the estimate and the budget instead of an
 * {@link OutOfMemoryError} minutes into the run. The activations a forward or decoding chunk
 * captures ({@link CaptureEstimate}) are not refused but placed: in the heap when they fit, else
 * in a spill file ({@link MemoryPlan}).
 */
final class RunBudget {
    /** Largest Java array length that every JVM allows. */
    static final long MAX_ARRAY_LENGTH = Integer.MAX_VALUE - 8;

    private static final CaptureEstimate.Count NO_CAPTURE = new CaptureEstimate.Count(0, 0);

    private RunBudget() {}

    /**
     * Checks a forward over {@code sequences} against the options' memory budget (or the maximum
     * heap), and decides where what the options capture goes: in the heap when the buffers and
     * the captures fit the budget (or, without one, the heap not in use now), else to disk. Only
     * a run whose buffers alone do not fit is refused; captures never are, short of disk.
     */
    static MemoryPlan forward(LoopConfig c, int steps, List<int[]> sequences, RunOptions options) {
        int[] first = new int[sequences.size()];
        int[] lengths = new int[sequences.size()];
        long rows = 0;
        for (int i = 0; i < lengths.length; i++) {
            lengths[i] = sequences.get(i).length;
            rows += lengths[i];
        }
        return plan(c, steps, steps, first, lengths, rows, rows + " position" + (rows == 1 ? "" : "s"), options);
    }

    /**
     * As {@link #forward(LoopConfig, int, List, RunOptions)} for a decode session's chunk of
     * {@code length} tokens after {@code first} cached positions, its cache kept as {@code sharing} says.
     */
    static MemoryPlan chunk(LoopConfig c, int steps, KvSharing sharing, int first, int length, RunOptions options) {
        return plan(c, steps, sharing.shared() ? 1 : steps, new int[] {first}, new int[] {length},
                (long) first + length, length + " new position" + (length == 1 ? "" : "s") + " after " + first, options);
    }

    private static MemoryPlan plan(LoopConfig c, int steps, int cacheSteps, int[] first, int[] lengths,
                                   long cachedPositions, String what, RunOptions options) {
        long rows = 0;
        long probs = 0; // the attention-probability workspace: heads × queries × keys of the longest
        for (int b = 0; b < lengths.length; b++) {
            rows += lengths[b];
            probs = Math.max(probs, satMul(satMul(c.numHeads(), lengths[b]), (long) first[b] + lengths[b]));
        }
        long limit = limit(options.memoryBudget());
        // The buffers first: they refuse a hopeless step count before the captures are counted step by step.
        check(c, steps, cacheSteps, rows, probs, cachedPositions, what, NO_CAPTURE, limit, options);
        CaptureEstimate.Count capture = CaptureEstimate.count(c, steps, options, first, lengths);
        long runBytes = check(c, steps, cacheSteps, rows, probs, cachedPositions, what, capture, limit, options);
        long bytes = capture.bytes();
        if (bytes == 0) { // nothing to place: no need to read the heap's pools
            return new MemoryPlan(runBytes, 0, options.memoryBudget() > 0 ? options.memoryBudget() : limit, false);
        }
        long room = options.memoryBudget() > 0 ? Math.min(options.memoryBudget(), heapRoom()) : heapRoom();
        return new MemoryPlan(runBytes, bytes, room, satAdd(runBytes, bytes) > room);
    }

    /**
     * The heap this JVM may still grow into: its maximum less what the pools that outlive a young
     * collection hold now. The eden space is left out: what sits there is mostly garbage, and
     * counting it would spill runs that fit as soon as the allocator had been busy.
     */
    private static long heapRoom() {
        long held = 0;
        boolean pools = false;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP && pool.isValid()) {
                pools = true;
                if (!pool.getName().contains("Eden")) {
                    held += pool.getUsage().getUsed();
                }
            }
        }
        Runtime r = Runtime.getRuntime();
        if (!pools) {
            held = r.totalMemory() - r.freeMemory();
        }
        return Math.max(0, r.maxMemory() - held);
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

    /** Checks a decode session's cache of {@code positions} positions, kept as {@code sharing} says. */
    static void session(LoopConfig c, int steps, KvSharing sharing, int positions, RunOptions options) {
        check(c, steps, sharing.shared() ? 1 : steps, 0, 0, positions, "a decode session of " + positions + " positions",
                NO_CAPTURE, limit(options.memoryBudget()), options);
    }

    /**
     * Refuses when the buffers, with the heap index of the captured tensors (their values may
     * spill; the index may not), need more than {@code limit} bytes, else returns their bytes.
     * {@code cacheSteps}: the key/value slots per layer (T, or 1 when shared).
     */
    private static long check(LoopConfig c, int steps, int cacheSteps, long rows, long probs, long cachedPositions,
                              String what, CaptureEstimate.Count capture, long limit, RunOptions options) {
        long vocab = c.vocabSize();
        long widest = Math.max(Math.max(c.hiddenSize(), c.qDim()), Math.max(c.intermediateSize(), vocab));
        array(satMul(rows, widest), steps, what);
        array(probs, steps, what);
        array(cachedPositions * c.kvDim(), steps, what);

        // Keys and values: one slot per (step, layer), or per layer when shared.
        long floats = satMul(satMul(2L * cacheSteps, c.numLayers()), cachedPositions * c.kvDim());
        // Workspace rows, attention probabilities, and the output collector's logits.
        long perRow = 5L * c.hiddenSize() + 2L * c.qDim() + 2L * c.kvDim() + 2L * c.intermediateSize() + 2 * vocab + 1;
        floats = satAdd(floats, satMul(rows, perRow));
        floats = satAdd(floats, probs);
        // Gate logits and λ (floats) and the exit pdf, cdf and survival (doubles), per step and row.
        floats = satAdd(floats, satMul(8L * steps, rows));
        long bytes = satAdd(satMul(floats, Float.BYTES), capture.indexBytes());
        if (bytes <= limit) {
            return bytes;
        }
        String budget = options.memoryBudget() > 0 ? "the memory budget of " + size(limit)
                : "the " + size(limit) + " this JVM may use";
        if (capture.tensors() > 0) {
            boolean mostlyIndex = capture.indexBytes() > bytes / 2;
            throw new InvalidInputException("options", steps + " loop steps over " + what + " need at least "
                    + size(bytes) + " of memory, " + size(capture.indexBytes()) + " of it to index the "
                    + capture.tensors() + " tensors the " + options.capture() + " records, more than " + budget
                    + "; " + (mostlyIndex ? "capture fewer sites or steps" : "run fewer steps or positions")
                    + ", or raise " + (options.memoryBudget() > 0 ? "the budget" : "-Xmx"));
        }
        throw new InvalidInputException("options", steps + " loop steps over " + what + " need at least "
                + size(bytes) + " of memory, more than " + budget + "; run fewer steps or positions"
                + (options.memoryBudget() > 0 ? ", or raise the budget" : ", or raise -Xmx"));
    }

    private static long limit(long budget) {
        return budget > 0 ? budget : Runtime.getRuntime().maxMemory();
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

    /** A size for a message; exact bytes below 1 MiB, so a small budget in a test reads back exactly. */
    static String size(long bytes) {
        if (bytes < (1L << 20)) {
            return bytes + " bytes";
        }
        return bytes < (1L << 30) ? String.format("%d MiB", bytes >> 20)
                : String.format("%.1f GiB", bytes / (double) (1L << 30));
    }
}
