package org.looplens.engine.kernels;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * Runs a loop over work items on the calling thread and a few private workers, or on the caller
 * alone when the job is too small to repay the hand-off. Callers make each item's result
 * independent of which thread runs it, so the thread count never changes an output.
 *
 * <p>Why not a fork-join pool: decoding issues a hundred-odd short matrix products per token, and
 * a pool's external submission parks the caller and wakes the workers every time (tens of
 * microseconds each way, a fifth of a small product). Here the caller works on its own job, and
 * the workers spin briefly between jobs before they park, so back-to-back products start at once.
 */
final class ParallelFor implements AutoCloseable {

    /** A contiguous range of items, [from, to). */
    @FunctionalInterface
    interface Body {
        void run(int from, int to);
    }

    /**
     * Below this many multiply-adds (or comparable element operations) a job stays on the calling
     * thread: 2^20 multiply-adds take roughly 50-200 microseconds on one core, against a few
     * microseconds to hand work to a spinning worker and up to tens to wake a parked one.
     */
    static final long DEFAULT_MIN_PARALLEL_WORK = 1L << 20;

    /** Chunks per thread to aim for, so that threads finishing early can even out the rest. */
    private static final int CHUNKS_PER_THREAD = 16;

    /** How long an idle worker watches for the next job before it parks. */
    private static final long SPIN_NANOS = 200_000;

    private final int threads;
    private final long minParallelWork;
    private final Thread[] workers;
    private final AtomicBoolean busy = new AtomicBoolean();
    private volatile Job current;
    private volatile boolean closed;

    ParallelFor(int threads, long minParallelWork) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be at least 1, got " + threads);
        }
        this.threads = threads;
        this.minParallelWork = minParallelWork;
        this.workers = new Thread[threads - 1];
        for (int i = 0; i < workers.length; i++) {
            workers[i] = Thread.ofPlatform().daemon().name("looplens-kernels-" + i).unstarted(this::workerLoop);
            workers[i].start();
        }
    }

    int threads() {
        return threads;
    }

    /**
     * Runs body over items 0..items-1; totalWork sizes the job for the serial/parallel choice. A
     * call made while another job holds the workers (a second caller, or a body that itself runs
     * a loop) runs serially on its own thread rather than wait.
     */
    void run(int items, long totalWork, Body body) {
        if (items <= 0) {
            return;
        }
        if (workers.length == 0 || items == 1 || totalWork < minParallelWork || !busy.compareAndSet(false, true)) {
            body.run(0, items);
            return;
        }
        try {
            Job job = new Job(body, items, Math.max(1, items / (threads * CHUNKS_PER_THREAD)));
            current = job;
            for (Thread w : workers) {
                LockSupport.unpark(w);
            }
            job.work();
            job.awaitDone();
            current = null;
            job.rethrow();
        } finally {
            busy.set(false);
        }
    }

    private void workerLoop() {
        Job last = null;
        while (!closed) {
            Job job = current;
            if (job != null && job != last) {
                last = job;
                job.work();
                continue;
            }
            long idleSince = System.nanoTime();
            while (current == job && !closed && System.nanoTime() - idleSince < SPIN_NANOS) {
                Thread.onSpinWait();
            }
            if (current == job && !closed) {
                LockSupport.park(this);
            }
        }
    }

    @Override
    public void close() {
        closed = true;
        for (Thread w : workers) {
            LockSupport.unpark(w);
        }
    }

    /** One call's items, handed out in chunks to whichever thread asks next. */
    private static final class Job {
        private final Body body;
        private final int items;
        private final int chunk;
        private final AtomicInteger next = new AtomicInteger();
        private final AtomicInteger done = new AtomicInteger();
        private volatile Throwable failure;

        Job(Body body, int items, int chunk) {
            this.body = body;
            this.items = items;
            this.chunk = chunk;
        }

        /** Takes chunks until none are left; after a failure the rest are counted, not run. */
        void work() {
            int from;
            while ((from = next.getAndAdd(chunk)) < items) {
                int to = Math.min(items, from + chunk);
                try {
                    if (failure == null) {
                        body.run(from, to);
                    }
                } catch (Throwable t) {
                    failure = t;
                } finally {
                    done.addAndGet(to - from);
                }
            }
        }

        /** Waits for chunks other threads are still running: short, so spin, yielding now and then. */
        void awaitDone() {
            for (int spins = 1; done.get() < items; spins++) {
                if ((spins & 1023) == 0) {
                    Thread.yield();
                } else {
                    Thread.onSpinWait();
                }
            }
        }

        void rethrow() {
            Throwable t = failure;
            if (t instanceof RuntimeException e) {
                throw e;
            }
            if (t instanceof Error e) {
                throw e;
            }
        }
    }
}
