package org.looplens.engine.kernels;

import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinWorkerThread;
import java.util.concurrent.RecursiveAction;

/**
 * Runs a loop over work items on a private fork-join pool, or on the caller when the job is too
 * small to repay waking the workers. Callers make each item's result independent of which thread
 * runs it, so the thread count never changes an output.
 */
final class ParallelFor implements AutoCloseable {

    /** A contiguous range of items, [from, to). */
    @FunctionalInterface
    interface Body {
        void run(int from, int to);
    }

    /**
     * Below this many multiply-adds (or comparable element operations) a job stays on the calling
     * thread. Waking parked workers costs 15-50 microseconds; 2^20 multiply-adds take roughly
     * 50-200 microseconds on one core (less in cache, more when streaming weights from memory).
     */
    static final long DEFAULT_MIN_PARALLEL_WORK = 1L << 20;

    /** Items per worker to aim for, so that stealing can even out uneven items. */
    private static final int ITEMS_PER_THREAD = 4;

    private final int threads;
    private final long minParallelWork;
    private final ForkJoinPool pool;

    ParallelFor(int threads, long minParallelWork) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be at least 1, got " + threads);
        }
        this.threads = threads;
        this.minParallelWork = minParallelWork;
        this.pool = threads == 1 ? null : new ForkJoinPool(threads, ParallelFor::newWorker, null, false);
    }

    private static ForkJoinWorkerThread newWorker(ForkJoinPool pool) {
        ForkJoinWorkerThread t = ForkJoinPool.defaultForkJoinWorkerThreadFactory.newThread(pool);
        t.setName("looplens-kernels-" + t.getPoolIndex());
        t.setDaemon(true);
        return t;
    }

    int threads() {
        return threads;
    }

    /** Runs body over items 0..items-1; totalWork sizes the job for the serial/parallel choice. */
    void run(int items, long totalWork, Body body) {
        if (items <= 0) {
            return;
        }
        if (pool == null || items == 1 || totalWork < minParallelWork) {
            body.run(0, items);
            return;
        }
        int grain = Math.max(1, items / (threads * ITEMS_PER_THREAD));
        pool.invoke(new Range(body, 0, items, grain));
    }

    @Override
    public void close() {
        if (pool != null) {
            pool.shutdown();
        }
    }

    private static final class Range extends RecursiveAction {
        private final Body body;
        private final int from;
        private final int to;
        private final int grain;

        Range(Body body, int from, int to, int grain) {
            this.body = body;
            this.from = from;
            this.to = to;
            this.grain = grain;
        }

        @Override
        protected void compute() {
            if (to - from <= grain) {
                body.run(from, to);
                return;
            }
            int mid = (from + to) >>> 1;
            invokeAll(new Range(body, from, mid, grain), new Range(body, mid, to, grain));
        }
    }
}
