package org.looplens.engine.io;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import org.looplens.engine.tensor.FloatTensor;

/**
 * Writes float tensors as a safetensors file that the reference library and LoopLens both read.
 *
 * <p>Tensors are laid out in the map's iteration order, so pass a {@code LinkedHashMap} or
 * {@code TreeMap} for a reproducible file. The JSON header is padded with spaces to a multiple of
 * 8 bytes, as the reference library does, so the data section starts 8-byte aligned.
 */
public final class SafetensorsWriter {
    private static final int BUFFER_BYTES = 1 << 16;

    private SafetensorsWriter() {}

    /** Writes {@code tensors} to {@code target} atomically, in {@code dtype} (F32, F16 or BF16). */
    public static void write(Path target, Map<String, FloatTensor> tensors, DType dtype) {
        write(target, tensors, dtype, Map.of());
    }

    /** As {@link #write(Path, Map, DType)}, with a {@code __metadata__} map (empty for none). */
    public static void write(Path target, Map<String, FloatTensor> tensors, DType dtype, Map<String, String> metadata) {
        writeSources(target, sources(tensors), dtype, metadata);
    }

    /**
     * As {@link #write(Path, Map, DType, Map)}, asking each source for its values only when its
     * turn comes, so at most one tensor is held at a time.
     */
    public static void writeSources(Path target, Map<String, TensorSource> tensors, DType dtype,
                                    Map<String, String> metadata) {
        byte[] header = header(tensors, dtype, metadata);
        AtomicFiles.write(target, out -> writeTo(out, header, tensors, dtype));
    }

    /** Writes the whole file to a stream; the stream is not closed. */
    public static void writeTo(OutputStream out, Map<String, FloatTensor> tensors, DType dtype, Map<String, String> metadata)
            throws IOException {
        Map<String, TensorSource> sources = sources(tensors);
        writeTo(out, header(sources, dtype, metadata), sources, dtype);
    }

    private static Map<String, TensorSource> sources(Map<String, FloatTensor> tensors) {
        Map<String, TensorSource> sources = new LinkedHashMap<>();
        tensors.forEach((name, t) -> sources.put(name, TensorSource.of(t)));
        return sources;
    }

    private static void writeTo(OutputStream out, byte[] header, Map<String, TensorSource> tensors, DType dtype)
            throws IOException {
        ByteBuffer buf = ByteBuffer.allocate(BUFFER_BYTES).order(ByteOrder.LITTLE_ENDIAN);
        buf.putLong(header.length);
        flush(out, buf);
        out.write(header);
        for (Map.Entry<String, TensorSource> e : tensors.entrySet()) {
            FloatTensor t = e.getValue().values().get();
            if (!Arrays.equals(t.shape(), e.getValue().shape())) {
                throw new IllegalStateException(e.getKey() + ": the header says shape "
                        + Arrays.toString(e.getValue().shape()) + ", the values have " + Arrays.toString(t.shape()));
            }
            for (float f : t.data()) {
                if (buf.remaining() < 4) {
                    flush(out, buf);
                }
                switch (dtype) {
                    case F32 -> buf.putFloat(f);
                    case F16 -> buf.putShort(Float.floatToFloat16(f));
                    default -> buf.putShort(Bf16.fromFloat(f));
                }
            }
        }
        flush(out, buf);
    }

    /** The JSON header, padded with spaces to a multiple of 8 bytes. */
    static byte[] header(Map<String, TensorSource> tensors, DType dtype, Map<String, String> metadata) {
        if (dtype != DType.F32 && dtype != DType.F16 && dtype != DType.BF16) {
            throw new IllegalArgumentException("SafetensorsWriter writes F32, F16 or BF16, not " + dtype);
        }
        ObjectNode root = SafetensorsHeader.JSON.createObjectNode();
        if (!metadata.isEmpty()) {
            ObjectNode meta = root.putObject(SafetensorsHeader.METADATA_KEY);
            new java.util.TreeMap<>(metadata).forEach(meta::put); // sorted: the same file for the same input, whatever the map
        }
        long offset = 0;
        for (Map.Entry<String, TensorSource> e : tensors.entrySet()) {
            if (e.getKey().equals(SafetensorsHeader.METADATA_KEY)) {
                throw new IllegalArgumentException(SafetensorsHeader.METADATA_KEY + " is reserved, not a tensor name");
            }
            long bytes = (long) e.getValue().size() * dtype.byteSize();
            ObjectNode entry = root.putObject(e.getKey());
            entry.put("dtype", dtype.name());
            ArrayNode shape = entry.putArray("shape");
            Arrays.stream(e.getValue().shape()).forEach(shape::add);
            entry.putArray("data_offsets").add(offset).add(offset + bytes);
            offset += bytes;
        }
        byte[] json;
        try {
            json = SafetensorsHeader.JSON.writeValueAsBytes(root);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise a JSON tree", e);
        }
        byte[] padded = Arrays.copyOf(json, (json.length + 7) & ~7);
        Arrays.fill(padded, json.length, padded.length, (byte) ' ');
        return padded;
    }

    private static void flush(OutputStream out, ByteBuffer buf) throws IOException {
        out.write(buf.array(), 0, buf.position());
        buf.clear();
    }
}
