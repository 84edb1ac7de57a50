package org.looplens.engine.run;

/**
 * Where a full forward's memory will go, counted before it runs: its own buffers (a lower bound,
 * see {@link RunBudget}), and the activations its capture plan records ({@link CaptureEstimate},
 * exact), which stay in the heap when they fit the room left and otherwise spill to a
 * memory-mapped file ({@link org.looplens.engine.trace.SpillFile}).
 *
 * @param runBytes     what stays in the heap whatever happens to the captures: the run's buffers (key/value
 *                     cache, workspace, per-step bookkeeping) and the trace's index of captured tensors
 * @param captureBytes the captured activations
 * @param room         the bytes the run may hold in the heap: the memory budget, or the heap not in use
 * @param spills       whether the captures go to disk
 */
public record MemoryPlan(long runBytes, long captureBytes, long room, boolean spills) {

    /** One line for a status bar: how much the captures take and where they go. */
    public String describe() {
        if (captureBytes == 0) {
            return "no captures; run buffers " + RunBudget.size(runBytes);
        }
        return "captures " + RunBudget.size(captureBytes) + (spills ? " spill to disk" : " in memory")
                + " (run buffers " + RunBudget.size(runBytes) + ", room " + RunBudget.size(room) + ")";
    }
}
