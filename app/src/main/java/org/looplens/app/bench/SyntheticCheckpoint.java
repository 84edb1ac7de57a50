package org.looplens.app.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedOutputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.SplittableRandom;
import org.looplens.engine.config.LoopConfig;
import org.looplens.engine.io.AtomicFiles;
import org.looplens.engine.io.Bf16;
import org.looplens.engine.io.DType;
import org.looplens.engine.model.WeightNames;

/**
 * Writes a checkpoint of random weights for a config straight to disk, tensor by tensor, so a
 * multi-GB benchmark model never sits in this process's memory (its resident size is what the
 * decode benchmark measures). Norm weights are one, matrices small uniform values.
 */
final class SyntheticCheckpoint {
    private SyntheticCheckpoint() {}

    static void write(LoopConfig c, Path folder, DType dtype) {
        Map<String, int[]> shapes = WeightNames.expectedShapes(c);
        int width = dtype == DType.BF16 ? 2 : 4;
        ObjectMapper json = new ObjectMapper();
        ObjectNode header = json.createObjectNode();
        header.putObject("__metadata__").put("format", "pt");
        long offset = 0;
        for (var e : shapes.entrySet()) {
            long bytes = (long) width * count(e.getValue());
            ObjectNode t = header.putObject(e.getKey());
            t.put("dtype", dtype.name());
            var shape = t.putArray("shape");
            for (int d : e.getValue()) {
                shape.add(d);
            }
            t.putArray("data_offsets").add(offset).add(offset + bytes);
            offset += bytes;
        }
        byte[] headerBytes = padded(header.toString().getBytes(StandardCharsets.UTF_8));
        folder.toFile().mkdirs();
        AtomicFiles.writeString(folder.resolve(LoopConfig.FILE_NAME), c.toJsonString() + "\n");
        AtomicFiles.write(folder.resolve("model.safetensors"), raw -> {
            OutputStream out = new BufferedOutputStream(raw, 1 << 16);
            out.write(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(headerBytes.length).array());
            out.write(headerBytes);
            SplittableRandom rng = new SplittableRandom(7);
            ByteBuffer chunk = ByteBuffer.allocate(1 << 20).order(ByteOrder.LITTLE_ENDIAN);
            for (var e : shapes.entrySet()) {
                boolean norm = e.getValue().length == 1;
                long n = count(e.getValue());
                for (long i = 0; i < n; i++) {
                    float v = norm ? 1f : (float) ((rng.nextDouble() - 0.5) * 0.04);
                    if (width == 2) {
                        chunk.putShort(Bf16.fromFloat(v));
                    } else {
                        chunk.putFloat(v);
                    }
                    if (chunk.remaining() < 4) {
                        out.write(chunk.array(), 0, chunk.position());
                        chunk.clear();
                    }
                }
            }
            out.write(chunk.array(), 0, chunk.position());
            out.flush();
        });
    }

    private static long count(int[] shape) {
        long n = 1;
        for (int d : shape) {
            n *= d;
        }
        return n;
    }

    /** Pads the header JSON with spaces to a multiple of 8 bytes, as the official writer does. */
    private static byte[] padded(byte[] header) {
        int size = (header.length + 7) / 8 * 8;
        byte[] out = java.util.Arrays.copyOf(header, size);
        java.util.Arrays.fill(out, header.length, size, (byte) ' ');
        return out;
    }
}
