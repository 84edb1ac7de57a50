package org.looplens.engine.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicIntegerArray;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Every item runs exactly once, whoever calls, however calls overlap, and failures surface. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ParallelForTest {
    private final ParallelFor parallel = new ParallelFor(3, 0);

    @AfterEach
    void close() {
        parallel.close();
    }

    @Test
    void everyItemRunsExactlyOnceOverManyBackToBackJobs() {
        for (int items : new int[] {2, 3, 7, 64, 1001}) {
            for (int rep = 0; rep < 200; rep++) {
                AtomicIntegerArray count = new AtomicIntegerArray(items);
                parallel.run(items, Long.MAX_VALUE, (from, to) -> {
                    for (int i = from; i < to; i++) {
                        count.incrementAndGet(i);
                    }
                });
                for (int i = 0; i < items; i++) {
                    assertEquals(1, count.get(i), "item " + i + " of " + items);
                }
            }
        }
    }

    @Test
    void aFailureInAnyChunkReachesTheCallerAndThePoolStaysUsable() {
        IllegalStateException thrown = new IllegalStateException("chunk failed");
        IllegalStateException caught = assertThrows(IllegalStateException.class, () ->
                parallel.run(100, Long.MAX_VALUE, (from, to) -> {
                    if (from <= 77 && 77 < to) {
                        throw thrown;
                    }
                }));
        assertSame(thrown, caught);
        AtomicIntegerArray count = new AtomicIntegerArray(10);
        parallel.run(10, Long.MAX_VALUE, (from, to) -> {
            for (int i = from; i < to; i++) {
                count.incrementAndGet(i);
            }
        });
        for (int i = 0; i < 10; i++) {
            assertEquals(1, count.get(i));
        }
    }

    @Test
    void aLoopInsideALoopRunsOnItsOwnThreadInsteadOfDeadlocking() {
        AtomicIntegerArray count = new AtomicIntegerArray(8 * 8);
        parallel.run(8, Long.MAX_VALUE, (from, to) -> {
            for (int i = from; i < to; i++) {
                int row = i;
                parallel.run(8, Long.MAX_VALUE, (f, t) -> {
                    for (int j = f; j < t; j++) {
                        count.incrementAndGet(row * 8 + j);
                    }
                });
            }
        });
        for (int i = 0; i < 64; i++) {
            assertEquals(1, count.get(i));
        }
    }

    @Test
    void callersOnSeveralThreadsEachGetTheirWholeJob() throws Exception {
        ExecutorService callers = Executors.newFixedThreadPool(4);
        try {
            Future<?>[] done = new Future<?>[4];
            for (int c = 0; c < 4; c++) {
                done[c] = callers.submit(() -> {
                    for (int rep = 0; rep < 300; rep++) {
                        AtomicIntegerArray count = new AtomicIntegerArray(50);
                        parallel.run(50, Long.MAX_VALUE, (from, to) -> {
                            for (int i = from; i < to; i++) {
                                count.incrementAndGet(i);
                            }
                        });
                        for (int i = 0; i < 50; i++) {
                            assertEquals(1, count.get(i));
                        }
                    }
                    return null;
                });
            }
            for (Future<?> f : done) {
                f.get();
            }
        } finally {
            callers.shutdownNow();
        }
    }
}
