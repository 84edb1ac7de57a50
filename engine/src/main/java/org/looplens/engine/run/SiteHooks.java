package org.looplens.engine.run;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.looplens.engine.tensor.FloatTensor;
import org.looplens.engine.trace.Activation;
import org.looplens.engine.trace.CaptureBuffers;
import org.looplens.engine.trace.CapturePlan;
import org.looplens.engine.trace.Intervention;
import org.looplens.engine.trace.Site;
import org.looplens.engine.trace.SiteKind;
import org.looplens.engine.trace.SpillFile;
import org.looplens.engine.trace.Trace;

/**
 * Where the runner meets interventions and captures: at every site it reaches, the matching
 * interventions edit the activation in place, then the capture plan copies what it asked for.
 * Sites nobody asked about cost one predicate check.
 */
final class SiteHooks {
    private final List<Intervention> interventions;
    private final CapturePlan plan;
    private final int[] planPositions;
    private final Trace[] traces;
    private final int[][] captureRows; // per sequence: local rows to copy, in trace order
    private final boolean[] everyRow; // per sequence: captureRows is 0..length-1 in order
    private final CaptureBuffers buffers; // null: fresh arrays
    private final SpillFile spill; // null: captures stay in the heap

    SiteHooks(List<Intervention> interventions, CapturePlan plan, CaptureBuffers buffers, int[] firstPositions,
              int[] lengths) {
        this(interventions, plan, buffers, null, firstPositions, lengths);
    }

    /** With {@code spill} non-null, captures are written to that file instead of heap arrays. */
    SiteHooks(List<Intervention> interventions, CapturePlan plan, CaptureBuffers buffers, SpillFile spill,
              int[] firstPositions, int[] lengths) {
        this.interventions = interventions;
        this.plan = plan;
        this.buffers = buffers;
        this.spill = spill;
        this.planPositions = plan.positions();
        this.traces = new Trace[lengths.length];
        this.captureRows = new int[lengths.length][];
        this.everyRow = new boolean[lengths.length];
        for (int b = 0; b < lengths.length; b++) {
            captureRows[b] = rowsToCapture(firstPositions[b], lengths[b]);
            everyRow[b] = isEveryRow(captureRows[b], lengths[b]);
            int[] absolute = new int[captureRows[b].length];
            for (int i = 0; i < absolute.length; i++) {
                absolute[i] = firstPositions[b] + captureRows[b][i];
            }
            traces[b] = new Trace(absolute);
        }
    }

    private static boolean isEveryRow(int[] chosen, int rows) {
        if (chosen.length != rows) {
            return false;
        }
        for (int i = 0; i < rows; i++) {
            if (chosen[i] != i) {
                return false;
            }
        }
        return true;
    }

    private int[] rowsToCapture(int first, int length) {
        if (planPositions == null) {
            int[] all = new int[length];
            for (int i = 0; i < length; i++) {
                all[i] = i;
            }
            return all;
        }
        List<Integer> rows = new ArrayList<>();
        for (int p : planPositions) {
            if (p >= first && p < first + length) {
                rows.add(p - first);
            }
        }
        return rows.stream().mapToInt(Integer::intValue).toArray();
    }

    Trace trace(int sequence) {
        return traces[sequence];
    }

    /** Whether anything happens at this site; lets the runner skip building views. */
    boolean active(Site site) {
        if (plan.captures(site)) {
            return true;
        }
        for (Intervention i : interventions) {
            if (i.targets(site)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Visits a per-position site of one sequence: rows {@code [offset, offset + rows·stride)}.
     * {@code width} ≤ stride lets a site be a slice of a wider buffer.
     */
    void visit(Site site, int sequence, float[] data, int offset, int rows, int width, int stride, int firstPosition) {
        visit(site, sequence, data, offset, rows, width, 1, stride, firstPosition);
    }

    /** Visits a site with {@code heads} blocks of {@code rows} rows (attention probabilities). */
    void visit(Site site, int sequence, float[] data, int offset, int rows, int width, int heads, int stride,
               int firstPosition) {
        Activation view = null;
        for (Intervention i : interventions) {
            if (i.targets(site)) {
                if (view == null) {
                    view = new Activation(site, sequence, data, offset, rows, width, heads, firstPosition, stride);
                }
                i.apply(view);
            }
        }
        if (plan.captures(site)) {
            capture(site, sequence, data, offset, rows, width, heads, stride);
        }
    }

    private void capture(Site site, int sequence, float[] data, int offset, int rows, int width, int heads,
                         int stride) {
        int[] chosen = captureRows[sequence];
        int size = heads * chosen.length * width;
        int[] shape = site.kind() == SiteKind.ATTN_PROBS ? new int[] {heads, chosen.length, width}
                : width == 1 ? new int[] {chosen.length} : new int[] {chosen.length, width};
        if (spill != null) {
            spill(site, sequence, data, offset, rows, width, heads, stride, shape);
            return;
        }
        float[] out;
        if (width == stride && everyRow[sequence]) { // a dense block, in order: one copy
            if (buffers == null) {
                out = Arrays.copyOfRange(data, offset, offset + size); // skips zeroing a fresh array
            } else {
                out = buffers.take(site, sequence, size);
                System.arraycopy(data, offset, out, 0, size);
            }
        } else {
            out = buffers == null ? new float[size] : buffers.take(site, sequence, size);
            int o = 0;
            for (int h = 0; h < heads; h++) {
                for (int r : chosen) {
                    System.arraycopy(data, offset + (h * rows + r) * stride, out, o, width);
                    o += width;
                }
            }
        }
        traces[sequence].put(site, new FloatTensor(out, shape));
    }

    /** As {@link #capture}, writing the rows straight into the spill file. */
    private void spill(Site site, int sequence, float[] data, int offset, int rows, int width, int heads, int stride,
                       int[] shape) {
        int[] chosen = captureRows[sequence];
        SpillFile.Region region = spill.allocate(shape);
        if (width == stride && everyRow[sequence]) {
            region.write(0, data, offset, region.size());
        } else {
            int o = 0;
            for (int h = 0; h < heads; h++) {
                for (int r : chosen) {
                    region.write(o, data, offset + (h * rows + r) * stride, width);
                    o += width;
                }
            }
        }
        traces[sequence].put(site, region);
    }
}
