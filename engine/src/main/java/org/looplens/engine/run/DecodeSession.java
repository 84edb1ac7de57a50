package org.looplens.engine.run;

/**
 * Incremental decoding of one sequence: a prefill, then one token (or chunk) at a time, reusing
 * the keys and values already computed. Each call returns the results for the new positions
 * only; with {@link KvSharing#FULL} (every (step, layer) cached) together they equal a full
 * forward over the whole sequence, with a shared cache they approximate it.
 */
public final class DecodeSession {
    private final LoopRunner runner;
    private final RunOptions options;
    private final KvCache cache;

    DecodeSession(LoopRunner runner, RunOptions options, KvCache cache) {
        this.runner = runner;
        this.options = options;
        this.cache = cache;
    }

    /**
     * Runs the given tokens at the next positions. Like a full forward, a chunk whose buffers
     * exceed the options' memory budget is refused before it runs, and captures that do not fit
     * beside them spill to disk.
     */
    public RunResult append(int... tokens) {
        return runner.append(cache, tokens, options);
    }

    /** Number of positions processed so far. */
    public int length() {
        return cache.length();
    }

    public KvCache cache() {
        return cache;
    }
}
