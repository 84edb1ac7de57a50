package org.looplens.engine.io;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Builds safetensors bytes by hand, so tests can craft any file, valid or not. */
final class RawSafetensors {
    private RawSafetensors() {}

    /** A file with the given header text (no padding) and data section. */
    static Path write(Path dir, String fileName, String header, byte[] data) {
        byte[] h = header.getBytes(StandardCharsets.UTF_8);
        return write(dir, fileName, h.length, concat(h, data));
    }

    /** A file whose length prefix says {@code headerLength}, whatever follows. */
    static Path write(Path dir, String fileName, long headerLength, byte[] rest) {
        byte[] prefix = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(headerLength).array();
        return writeBytes(dir, fileName, concat(prefix, rest));
    }

    static Path writeBytes(Path dir, String fileName, byte[] bytes) {
        try {
            return Files.write(dir.resolve(fileName), bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static byte[] f32(float... values) {
        ByteBuffer b = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (float v : values) {
            b.putFloat(v);
        }
        return b.array();
    }

    /** Little-endian 16-bit words, for F16 and BF16 data. */
    static byte[] u16(int... words) {
        ByteBuffer b = ByteBuffer.allocate(words.length * 2).order(ByteOrder.LITTLE_ENDIAN);
        for (int w : words) {
            b.putShort((short) w);
        }
        return b.array();
    }

    static byte[] concat(byte[] a, byte[] b) {
        byte[] out = new byte[a.length + b.length];
        System.arraycopy(a, 0, out, 0, a.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
