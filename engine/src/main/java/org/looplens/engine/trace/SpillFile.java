package org.looplens.engine.trace;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.Arena;
import java.lang.ref.Cleaner;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.Objects;
import org.looplens.engine.InvalidInputException;
import org.looplens.engine.tensor.FloatTensor;

/**
 * A memory-mapped scratch file that captured activations go to when they would not fit in the
 * heap. Its pages belong to the operating system's file cache, which can write them out and drop
 * them under pressure, so a trace larger than RAM still completes; reading a site back copies
 * just that site into the heap.
 *
 * <p>The file is sized once, from the exact capture estimate, and deleted from its folder as soon
 * as it is mapped (where the platform allows; not on Windows, where it goes on exit), so nothing
 * is left behind if the JVM dies. The mapping, and with it the disk space, is released by
 * {@link #close} or, failing that, when the last trace that refers to it is garbage: a reader
 * done with a large trace should release it ({@link Trace#release}) rather than wait for a
 * collection that a heap with room may put off.
 */
public final class SpillFile implements AutoCloseable {
    private static final Cleaner CLEANER = Cleaner.create();

    /** Room left free on the disk beyond the file, so spilling never fills it to the last byte. */
    static final long HEADROOM = 64L << 20;

    private static final ValueLayout.OfFloat FLOAT = ValueLayout.JAVA_FLOAT;

    private final MemorySegment segment;
    private final Path directory;
    private final Cleaner.Cleanable unmap;
    private long used;

    private SpillFile(Arena arena, MemorySegment segment, Path directory) {
        this.segment = segment;
        this.directory = directory;
        this.unmap = CLEANER.register(this, arena::close); // the action holds the arena, not this file
    }

    /**
     * A scratch file of {@code bytes} in {@code directory}, refused with a message naming the
     * folder when it does not exist or lacks the room. {@code why} says, for that message, what
     * made the run spill.
     */
    public static SpillFile create(Path directory, long bytes, String why) {
        if (!Files.isDirectory(directory)) {
            throw new InvalidInputException(directory.toString(), why + ", and the spill folder does not exist");
        }
        long free;
        try {
            free = Files.getFileStore(directory).getUsableSpace();
        } catch (IOException e) {
            throw new InvalidInputException(directory.toString(), why + ", and the spill folder's free space cannot"
                    + " be read: " + e.getMessage(), e);
        }
        refuseBeyond(directory, bytes, free, why);
        Path file = null;
        try {
            file = Files.createTempFile(directory, "looplens-trace-", ".f32");
            Arena arena = Arena.ofShared();
            MemorySegment segment;
            try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
                segment = channel.map(FileChannel.MapMode.READ_WRITE, 0, bytes, arena);
            } catch (IOException | RuntimeException e) {
                arena.close();
                throw e;
            }
            deleteWhileMapped(file);
            return new SpillFile(arena, segment, directory);
        } catch (IOException e) {
            if (file != null) {
                deleteWhileMapped(file);
            }
            throw new InvalidInputException(directory.toString(), why + ", and the spill file cannot be made there: "
                    + e.getMessage(), e);
        }
    }

    /**
     * Whether {@code directory} lies on a file system kept in memory (tmpfs, ramfs), where a
     * spill file saves no memory; many systems mount the temporary folder so.
     */
    public static boolean memoryBacked(Path directory) {
        try {
            String type = Files.getFileStore(directory).type();
            return type.equals("tmpfs") || type.equals("ramfs");
        } catch (IOException e) {
            return false;
        }
    }

    /** Refuses a file of {@code bytes} on a disk with {@code free} usable bytes. */
    static void refuseBeyond(Path directory, long bytes, long free, String why) {
        if (bytes > free - HEADROOM) {
            throw new InvalidInputException(directory.toString(), why + ", and spilling them here needs "
                    + bytes + " bytes of disk (with " + (HEADROOM >> 20) + " MiB to spare) but " + free
                    + " are free; capture fewer sites, steps or positions, or spill to another folder");
        }
    }

    /** Unlinks the file now; the mapping keeps its pages. Where a mapped file cannot be deleted, on exit. */
    private static void deleteWhileMapped(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            file.toFile().deleteOnExit();
        }
    }

    /** Unmaps the file now, freeing its disk space; reading a region afterwards is an error. Idempotent. */
    @Override
    public void close() {
        unmap.clean();
    }

    /** The bytes this file holds. */
    public long size() {
        return segment.byteSize();
    }

    /** The next unused region, for a tensor of this shape. */
    public synchronized Region allocate(int... shape) {
        long bytes = FloatTensor.elementCount(shape) * Float.BYTES;
        if (bytes > segment.byteSize() - used) {
            throw new IllegalStateException("spill file of " + segment.byteSize() + " bytes is full: " + used
                    + " used, " + bytes + " more asked; the capture estimate was short");
        }
        Region r = new Region(this, used, shape.clone());
        used += bytes;
        return r;
    }

    /** One tensor's place in a spill file. */
    public record Region(SpillFile file, long offset, int[] shape) {
        @Override
        public int[] shape() {
            return shape.clone();
        }

        /** Number of floats. */
        public int size() {
            return Math.toIntExact(FloatTensor.elementCount(shape));
        }

        /** Copies {@code count} floats from {@code src[from..]} to float {@code at} of this region. */
        public void write(int at, float[] src, int from, int count) {
            if (at < 0 || count < 0 || at + count > size()) {
                throw new IndexOutOfBoundsException("floats " + at + ".." + (at + count) + " of a region of " + size());
            }
            try {
                MemorySegment.copy(src, from, file.segment, FLOAT, offset + (long) at * Float.BYTES, count);
            } catch (InternalError e) { // the JVM's answer to a page that cannot be written: the disk is full
                throw new UncheckedIOException(new IOException("cannot write the spill file in " + file.directory
                        + " (is the disk full?)", e));
            } catch (IllegalStateException e) {
                throw released(e);
            }
        }

        /** A fresh heap copy of the tensor. */
        public FloatTensor read() {
            return new FloatTensor(read(0, size()), shape);
        }

        /** A fresh heap copy of {@code count} floats from float {@code from} of this region. */
        public float[] read(int from, int count) {
            Objects.checkFromIndexSize(from, count, size());
            float[] data = new float[count];
            try {
                MemorySegment.copy(file.segment, FLOAT, offset + (long) from * Float.BYTES, data, 0, count);
            } catch (IllegalStateException e) {
                throw released(e);
            }
            return data;
        }

        private static IllegalStateException released(IllegalStateException e) {
            return new IllegalStateException("the trace's spill file was released; this site is gone", e);
        }

        @Override
        public String toString() {
            return "Region[offset=" + offset + ", shape=" + Arrays.toString(shape) + "]";
        }
    }
}
