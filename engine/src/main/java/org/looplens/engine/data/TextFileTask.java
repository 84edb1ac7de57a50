package org.looplens.engine.data;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.channels.FileChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.Locale;
import org.looplens.engine.InvalidInputException;

/**
 * Language modelling on a plain text file, one token per byte ({@link Vocabulary#ofBytes()}), so
 * any file works and nothing is ever unknown.
 *
 * <p>The file is cut into three contiguous regions, TRAIN first, then VALIDATION, then TEST (the
 * last {@code validationFraction + testFraction} of the bytes), so held-out text never overlaps
 * training text. TRAIN chunks start at random offsets (a fresh window every index); VALIDATION
 * and TEST chunks tile their region without overlap, repeating after the last full chunk, so an
 * evaluation over the first {@link #chunks} indexes covers the region once.
 *
 * <p>Layout: {@code <bos>} then {@code chunkLength} bytes, every byte a target. There is no
 * {@code <eos>}: a window cut out of running text has no end, and teaching the model to stop there
 * would be wrong. Format is ignored; difficulty is 0, there are no intermediates, and the key is
 * {@code @offset}. The file is memory-mapped, not read, so it may be large.
 */
public final class TextFileTask implements Task {
    private final Path file;
    private final int chunkLength;
    private final long seed;
    private final MemorySegment bytes;
    private final long[] regionStart = new long[3];
    private final long[] regionEnd = new long[3];
    private final Vocabulary vocabulary = Vocabulary.ofBytes();

    public TextFileTask(Path file, int chunkLength, double validationFraction, double testFraction, long seed) {
        if (chunkLength < 1) {
            throw new IllegalArgumentException("chunkLength must be at least 1, got " + chunkLength);
        }
        if (!(validationFraction > 0 && validationFraction < 0.5) || !(testFraction > 0 && testFraction < 0.5)) {
            throw new IllegalArgumentException("validationFraction and testFraction must be in (0, 0.5), got "
                    + validationFraction + " and " + testFraction);
        }
        this.file = file;
        this.chunkLength = chunkLength;
        this.seed = seed;
        this.bytes = map(file);
        long n = bytes.byteSize();
        long validation = (long) Math.floor(n * validationFraction);
        long test = (long) Math.floor(n * testFraction);
        long train = n - validation - test;
        long[] lengths = {train, validation, test};
        long at = 0;
        for (Split s : Split.values()) {
            regionStart[s.ordinal()] = at;
            at += lengths[s.ordinal()];
            regionEnd[s.ordinal()] = at;
            if (lengths[s.ordinal()] < chunkLength) {
                throw new InvalidInputException(file.toString(), "has " + n + " bytes, too few for chunks of "
                        + chunkLength + ": the " + s.name().toLowerCase(Locale.ROOT) + " region gets only "
                        + lengths[s.ordinal()] + " bytes");
            }
        }
    }

    private static MemorySegment map(Path file) {
        String source = file.toString();
        if (Files.isDirectory(file)) {
            throw new InvalidInputException(source, "is a directory, not a text file");
        }
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            return ch.map(FileChannel.MapMode.READ_ONLY, 0, ch.size(), Arena.ofAuto());
        } catch (NoSuchFileException e) {
            throw new InvalidInputException(source, "file not found");
        } catch (AccessDeniedException e) {
            throw new InvalidInputException(source, "cannot read: permission denied");
        } catch (IOException e) {
            throw new InvalidInputException(source, "cannot read: " + e.getMessage());
        }
    }

    @Override
    public String name() {
        return "text";
    }

    @Override
    public Vocabulary vocabulary() {
        return vocabulary;
    }

    public Path file() {
        return file;
    }

    public int chunkLength() {
        return chunkLength;
    }

    /** First byte of a split's region. */
    public long regionStart(Split split) {
        return regionStart[split.ordinal()];
    }

    /** One past the last byte of a split's region. */
    public long regionEnd(Split split) {
        return regionEnd[split.ordinal()];
    }

    /** Number of distinct non-overlapping chunks in a held-out split (for TRAIN: as many would fit). */
    public long chunks(Split split) {
        return (regionEnd(split) - regionStart(split)) / chunkLength;
    }

    /** Byte offset in the file where chunk {@code index} of {@code split} starts. */
    public long offset(Split split, long index) {
        if (split == Split.TRAIN) {
            long positions = regionEnd(split) - regionStart(split) - chunkLength + 1;
            return regionStart(split) + SplitMix64.keyed(seed, split.ordinal(), index).nextLong(positions);
        }
        return regionStart(split) + (index % chunks(split)) * chunkLength;
    }

    @Override
    public int maxLength(Format format) {
        return 1 + chunkLength;
    }

    @Override
    public Example example(Split split, long index, Format format) {
        if (index < 0) {
            throw new IllegalArgumentException("index must be non-negative, got " + index);
        }
        long offset = offset(split, index);
        byte[] chunk = new byte[chunkLength];
        MemorySegment.copy(bytes, ValueLayout.JAVA_BYTE, offset, chunk, 0, chunkLength);
        int[] tokens = new int[chunkLength + 1];
        tokens[0] = Vocabulary.BOS;
        for (int i = 0; i < chunkLength; i++) {
            tokens[i + 1] = vocabulary.byteId(chunk[i]);
        }
        boolean[] mask = new boolean[chunkLength];
        Arrays.fill(mask, true);
        return new Example(tokens, mask, 1, Arrays.copyOfRange(tokens, 1, tokens.length), 0, new int[0],
                "@" + offset, vocabulary.decode(tokens));
    }
}
