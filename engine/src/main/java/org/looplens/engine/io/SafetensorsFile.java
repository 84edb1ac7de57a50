package org.looplens.engine.io;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.Map;
import java.util.Set;
import org.looplens.engine.InvalidInputException;
import org.looplens.engine.tensor.FloatTensor;

/**
 * A safetensors file, memory-mapped: opening reads and checks only the header, so a file of any
 * size opens at once; tensor bytes are paged in when a tensor is read.
 *
 * <p>Layout: an 8-byte little-endian header length N, N bytes of UTF-8 JSON, then the data
 * section. All problems with the file are reported as {@link InvalidInputException} naming the
 * file. Reading after {@link #close()} throws {@link IllegalStateException}.
 */
public final class SafetensorsFile implements AutoCloseable {

    /** Largest Java array length that every JVM allows. */
    static final int MAX_ARRAY_LENGTH = Integer.MAX_VALUE - 8;

    private static final int SCAN_CHUNK = 1 << 16;

    private final Path path;
    private final String source;
    private final Arena arena;
    private final MemorySegment data;
    private final SafetensorsHeader header;

    private SafetensorsFile(Path path, Arena arena, MemorySegment data, SafetensorsHeader header) {
        this.path = path;
        this.source = path.toString();
        this.arena = arena;
        this.data = data;
        this.header = header;
    }

    /** Maps and validates the file; throws {@link InvalidInputException} if it is not a valid safetensors file. */
    public static SafetensorsFile open(Path path) {
        String source = path.toString();
        if (Files.isDirectory(path)) {
            throw new InvalidInputException(source, "cannot read: is a directory");
        }
        Arena arena = Arena.ofShared();
        try (FileChannel channel = FileChannel.open(path, StandardOpenOption.READ)) {
            long size = channel.size();
            if (size < 8) {
                throw new InvalidInputException(source,
                        "truncated: the file has " + size + " bytes, fewer than the 8-byte header length");
            }
            MemorySegment file = channel.map(FileChannel.MapMode.READ_ONLY, 0, size, arena);
            long headerLength = file.get(ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN), 0);
            // Unsigned in the format: a negative long is a length of 2^63 or more.
            if (headerLength < 0 || headerLength > SafetensorsHeader.MAX_HEADER_BYTES) {
                throw new InvalidInputException(source, "header length " + Long.toUnsignedString(headerLength)
                        + " is larger than the " + SafetensorsHeader.MAX_HEADER_BYTES + "-byte limit; not a safetensors file?");
            }
            if (headerLength > size - 8) {
                throw new InvalidInputException(source, "truncated: header length " + headerLength
                        + " runs past the end of the file (" + size + " bytes)");
            }
            byte[] json = file.asSlice(8, headerLength).toArray(ValueLayout.JAVA_BYTE);
            MemorySegment data = file.asSlice(8 + headerLength);
            SafetensorsHeader header = SafetensorsHeader.parse(source, json, data.byteSize());
            return new SafetensorsFile(path, arena, data, header);
        } catch (NoSuchFileException e) {
            arena.close();
            throw new InvalidInputException(source, "cannot read: no such file");
        } catch (AccessDeniedException e) {
            arena.close();
            throw new InvalidInputException(source, "cannot read: permission denied");
        } catch (IOException e) {
            arena.close();
            throw new InvalidInputException(source, "cannot read: " + e.getMessage(), e);
        } catch (RuntimeException | Error e) {
            arena.close();
            throw e;
        }
    }

    public Path path() {
        return path;
    }

    /** Tensor names, sorted, without {@code __metadata__}. */
    public Set<String> names() {
        return header.tensors().keySet();
    }

    public boolean contains(String name) {
        return header.tensors().containsKey(name);
    }

    /** The header entry of a tensor; {@link InvalidInputException} if there is none. */
    public TensorInfo info(String name) {
        TensorInfo info = header.tensors().get(name);
        if (info == null) {
            throw new InvalidInputException(source, "missing tensor " + Quote.of(name));
        }
        return info;
    }

    /** The {@code __metadata__} map, empty if the file has none. */
    public Map<String, String> metadata() {
        return header.metadata();
    }

    /** The tensor's bytes as a read-only slice of the mapping; valid until {@link #close()}. */
    public MemorySegment segment(String name) {
        TensorInfo info = info(name);
        return data.asSlice(info.begin(), info.byteLength());
    }

    /** The tensor's elements converted to float; the dtype must be F32, F16 or BF16. */
    public float[] readFloats(String name) {
        TensorInfo info = readable(name);
        long count = info.elementCount();
        if (count > MAX_ARRAY_LENGTH) {
            throw new InvalidInputException(source, "tensor " + Quote.of(name) + " has " + count
                    + " elements, too many for one Java array (limit " + MAX_ARRAY_LENGTH + ")");
        }
        float[] out = new float[(int) count];
        FloatDecoder.decode(segment(name), info.dtype(), 0, out, 0, out.length);
        return out;
    }

    public FloatTensor read(String name) {
        return new FloatTensor(readFloats(name), intShape(info(name)));
    }

    /** Reads a tensor that must have exactly {@code expectedShape}. */
    public FloatTensor read(String name, int... expectedShape) {
        long[] actual = info(name).shape();
        if (!Arrays.equals(actual, Arrays.stream(expectedShape).asLongStream().toArray())) {
            throw new InvalidInputException(source, "tensor " + Quote.of(name) + " has shape "
                    + Arrays.toString(actual) + ", expected " + Arrays.toString(expectedShape));
        }
        return read(name);
    }

    /**
     * Number of NaN and infinite values in a float tensor. Scans the mapping in chunks, so it
     * works for tensors of any size without a full copy.
     */
    public long scanNonFinite(String name) {
        TensorInfo info = readable(name);
        MemorySegment bytes = segment(name);
        long count = info.elementCount();
        float[] chunk = new float[(int) Math.min(SCAN_CHUNK, count)];
        long nonFinite = 0;
        for (long done = 0; done < count; ) {
            int n = (int) Math.min(chunk.length, count - done);
            FloatDecoder.decode(bytes, info.dtype(), done, chunk, 0, n);
            nonFinite += NonFinite.count(chunk, 0, n);
            done += n;
        }
        return nonFinite;
    }

    /** Unmaps the file; segments obtained from it become inaccessible. */
    @Override
    public void close() {
        if (arena.scope().isAlive()) {
            arena.close();
        }
    }

    @Override
    public String toString() {
        return "SafetensorsFile[" + path + ", " + header.tensors().size() + " tensors]";
    }

    private TensorInfo readable(String name) {
        TensorInfo info = info(name);
        if (!info.dtype().readableAsFloat()) {
            throw new InvalidInputException(source, "tensor " + Quote.of(name) + " has dtype " + info.dtype()
                    + ", which LoopLens cannot read");
        }
        return info;
    }

    private int[] intShape(TensorInfo info) {
        long[] shape = info.shape();
        int[] out = new int[shape.length];
        for (int i = 0; i < shape.length; i++) {
            // Unreachable after readFloats' element limit unless a dimension is 0 and another huge.
            if (shape[i] > Integer.MAX_VALUE) {
                throw new InvalidInputException(source, "tensor " + Quote.of(info.name()) + " has dimension "
                        + shape[i] + ", too large for LoopLens");
            }
            out[i] = (int) shape[i];
        }
        return out;
    }
}
