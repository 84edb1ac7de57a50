package org.looplens.engine.run;

import org.looplens.engine.config.LoopConfig;
import org.looplens.engine.trace.CapturePlan;
import org.looplens.engine.trace.Site;
import org.looplens.engine.trace.SiteKind;

/**
 * The bytes a capture plan will record in one run, counted from the plan, the sequence lengths,
 * the steps and the layers before anything runs: the trace of a large model with every site
 * captured outgrows the heap long before its weights do (Ouro-1.4B, 24 layers × 4 steps, keeps
 * about 2.3 MB per position in the hidden-width sites alone).
 *
 * <p>The count is exact for what the trace holds: each captured site copies its width per
 * recorded position (see {@link SiteKind}), attention probabilities {@code heads × keys} per
 * query position. Sites a run never reaches (skipped steps, sites before a resume point) are not
 * counted, so the estimate never exceeds what the run records.
 */
public final class CaptureEstimate {
    private CaptureEstimate() {}

    /**
     * Heap bytes that indexing one captured tensor in a trace takes at the least, whether its values
     * are in the heap or spilled: the site, the map entry, the holder and the shape. A run of many
     * thousands of steps records hundreds of thousands of tensors, and this index, not their
     * values, is then what outgrows the heap.
     */
    static final long INDEX_BYTES_PER_TENSOR = 128;

    /** What a run records: the floats of its captured tensors, and how many tensors. */
    record Count(long floats, long tensors) {
        long bytes() {
            return floats > Long.MAX_VALUE / Float.BYTES ? Long.MAX_VALUE : floats * Float.BYTES;
        }

        long indexBytes() {
            return tensors > Long.MAX_VALUE / INDEX_BYTES_PER_TENSOR ? Long.MAX_VALUE
                    : tensors * INDEX_BYTES_PER_TENSOR;
        }
    }

    /**
     * Bytes captured by a run of {@code options} (its plan, step edits and resume point) over
     * sequences whose first positions and lengths are given (saturating at {@code Long.MAX_VALUE}).
     */
    public static long bytes(LoopConfig c, int steps, RunOptions options, int[] first, int[] lengths) {
        return count(c, steps, options, first, lengths).bytes();
    }

    /** The floats and the number of tensors such a run records, every sequence's trace together. */
    static Count count(LoopConfig c, int steps, RunOptions options, int[] first, int[] lengths) {
        CapturePlan plan = options.capture();
        if (plan == CapturePlan.none()) {
            return new Count(0, 0);
        }
        long rows = 0;
        long probs = 0; // heads × keys per recorded query row, summed over the sequences
        for (int b = 0; b < lengths.length; b++) {
            long r = recordedRows(plan.positions(), first[b], lengths[b]);
            rows += r;
            probs += r * c.numHeads() * ((long) first[b] + lengths[b]);
        }
        int[] applications = StepEdit.applications(options.stepEdits(), steps);
        ResumePoint resume = options.resume();
        long floats = 0;
        long tensors = 0; // per sequence; each sequence's trace holds every captured site
        if (resume == null && plan.captures(Site.embed())) {
            floats += rows * c.hiddenSize();
            tensors++;
        }
        for (int t = resume == null ? 0 : resume.step(); t < steps; t++) {
            for (SiteKind kind : SiteKind.values()) {
                if (kind.scope() == SiteKind.Scope.STEP && plan.captures(Site.step(t, kind))) {
                    floats = add(floats, rows * width(c, kind));
                    tensors++;
                }
            }
            int fromLayer = resume != null && t == resume.step() ? resume.layer() : 0;
            for (int l = applications[t] == 0 ? c.numLayers() : fromLayer; l < c.numLayers(); l++) {
                for (SiteKind kind : SiteKind.values()) {
                    if (kind.scope() == SiteKind.Scope.LAYER && plan.captures(Site.layer(t, l, kind))) {
                        floats = add(floats, kind == SiteKind.ATTN_PROBS ? probs : rows * width(c, kind));
                        tensors++;
                    }
                }
            }
        }
        return new Count(floats, tensors * lengths.length);
    }

    private static long add(long a, long b) {
        long s = a + b;
        return s < 0 ? Long.MAX_VALUE : s;
    }

    /** Floats per recorded position of a site kind (all but attention probabilities). */
    static long width(LoopConfig c, SiteKind kind) {
        return switch (kind) {
            case Q -> c.qDim();
            case K, V -> c.kvDim();
            case GATE_LOGIT -> 1;
            case STEP_LOGITS -> c.vocabSize();
            case ATTN_PROBS -> throw new IllegalArgumentException("attention probabilities depend on the keys");
            default -> c.hiddenSize();
        };
    }

    private static long recordedRows(int[] positions, int first, int length) {
        if (positions == null) {
            return length;
        }
        long n = 0;
        for (int p : positions) {
            if (p >= first && p < first + length) {
                n++;
            }
        }
        return n;
    }
}
