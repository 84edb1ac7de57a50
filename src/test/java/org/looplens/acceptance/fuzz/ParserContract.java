package org.looplens.acceptance.fuzz;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.looplens.engine.InvalidInputException;

/**
 * The contract every parser of user input keeps, whatever the bytes: it returns, or it throws
 * {@link InvalidInputException} with one line that names the file; nothing else escapes (no NPE,
 * no index or number error, no OutOfMemoryError or StackOverflowError), it finishes within
 * {@link #TIME_LIMIT_MS}, and the heap it allocates is bounded by the file's size.
 */
final class ParserContract {
    /** Generous for files of a few kilobytes; a hang or quadratic blow-up overshoots it by far. */
    static final long TIME_LIMIT_MS = 5_000;
    /** For a first parse, which may load and instrument classes; beyond it the parse is a hang. */
    static final long COLD_LIMIT_MS = 120_000;
    /** Heap allowed per input byte (a JSON tree costs tens of bytes per byte of text) plus a fixed allowance. */
    static final long BYTES_PER_INPUT_BYTE = 256;
    static final long FIXED_ALLOWANCE = 64L << 20;

    /** What a parse does with the file; may return anything. */
    interface Parse {
        Object apply(Path file) throws Exception;
    }

    // One worker thread: the per-input timeout needs another thread, and its allocation counter is
    // read before and after each parse.
    private static final ExecutorService WORKER = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "parser-contract");
        t.setDaemon(true);
        return t;
    });
    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    private ParserContract() {}

    /**
     * Writes {@code input} to a fresh file called {@code fileName} in a new folder and parses it.
     *
     * @return whether the parser accepted the file
     */
    static boolean check(byte[] input, String fileName, Parse parse) {
        Path dir = null;
        try {
            dir = Files.createTempDirectory("looplens-fuzz");
            Path file = dir.resolve(fileName);
            Files.write(file, input);
            return check(input, file, parse);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            deleteTree(dir);
        }
    }

    /** Parses a file already in place ({@code input} is only for the failure message). */
    static boolean check(byte[] input, Path file, Parse parse) {
        long bound = BYTES_PER_INPUT_BYTE * input.length + FIXED_ALLOWANCE;
        // A first parse may load (and, under the fuzzer, instrument) classes, which takes seconds
        // and hundreds of megabytes; so a breach counts only if a second, warm parse repeats it.
        Outcome outcome = await(file, parse, COLD_LIMIT_MS, input);
        if (outcome.millis > TIME_LIMIT_MS || outcome.allocated > bound) {
            outcome = await(file, parse, TIME_LIMIT_MS, input);
        }
        Outcome last = outcome;
        assertTrue(last.millis <= TIME_LIMIT_MS, () -> "slow: " + last.millis + " ms for " + describe(input));
        assertTrue(last.allocated <= bound, () -> "allocated " + last.allocated + " bytes for a "
                + input.length + "-byte file (bound " + bound + "): " + describe(input));
        if (last.thrown == null) {
            return true;
        }
        if (!(last.thrown instanceof InvalidInputException e)) {
            throw new AssertionError("escaped " + last.thrown + " for " + describe(input), last.thrown);
        }
        String m = e.getMessage();
        assertTrue(!m.contains("\n") && !m.contains("\r"), () -> "message is not one line: " + m);
        assertTrue(m.contains(file.getFileName().toString()), () -> "message does not name the file: " + m);
        return false;
    }

    private record Outcome(Throwable thrown, long allocated, long millis) {}

    private static Outcome await(Path file, Parse parse, long limitMs, byte[] input) {
        Future<Outcome> future = WORKER.submit(() -> run(file, parse));
        try {
            return future.get(limitMs, TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            future.cancel(true);
            throw new AssertionError("hang: no answer in " + limitMs + " ms for " + describe(input));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        } catch (ExecutionException e) {
            throw new AssertionError("the contract check itself failed", e.getCause());
        }
    }

    private static Outcome run(Path file, Parse parse) {
        long id = Thread.currentThread().threadId();
        long before = THREADS.getThreadAllocatedBytes(id);
        long start = System.nanoTime();
        Throwable thrown = null;
        try {
            parse.apply(file);
        } catch (Throwable t) { // everything, errors included: what escapes is the finding
            thrown = t;
        }
        return new Outcome(thrown, THREADS.getThreadAllocatedBytes(id) - before, (System.nanoTime() - start) / 1_000_000);
    }

    /** The input for a failure message: short ones in full, long ones by length and head. */
    static String describe(byte[] input) {
        int shown = Math.min(input.length, 200);
        byte[] head = java.util.Arrays.copyOf(input, shown);
        return input.length + " bytes, hex " + HexFormat.of().formatHex(head) + (shown < input.length ? "..." : "");
    }

    private static void deleteTree(Path dir) {
        if (dir == null) {
            return;
        }
        try (var s = Files.walk(dir)) {
            for (Path p : s.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            // a temp folder left behind is harmless
        }
    }
}
