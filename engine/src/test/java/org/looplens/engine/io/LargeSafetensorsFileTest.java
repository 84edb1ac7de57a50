package org.looplens.engine.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.looplens.engine.InvalidInputException;

/**
 * Files larger than the test heap (-Xmx2g) open and can be sampled, which proves opening maps
 * rather than reads. The files are sparse, so they cost no disk space.
 */
class LargeSafetensorsFileTest {
    @TempDir
    Path dir;

    /** A sparse file holding one zero tensor of {@code elements} elements of {@code dtype}. */
    private Path sparse(String name, String dtype, long elements, int elementBytes) throws IOException {
        long bytes = elements * elementBytes;
        String header = "{\"big\":{\"dtype\":\"" + dtype + "\",\"shape\":[" + elements + "],\"data_offsets\":[0," + bytes + "]}}";
        byte[] h = header.getBytes(StandardCharsets.UTF_8);
        Path f = dir.resolve(name);
        try (RandomAccessFile raf = new RandomAccessFile(f.toFile(), "rw")) {
            raf.write(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(h.length).array());
            raf.write(h);
            raf.setLength(8 + h.length + bytes);
        }
        return f;
    }

    @Test
    void threeGigabyteFileOpensWithoutReadingItsData() throws IOException {
        long elements = 3L << 28; // 3 GiB of F32
        Path f = sparse("big.safetensors", "F32", elements, 4);
        try (SafetensorsFile sf = SafetensorsFile.open(f)) {
            assertEquals(elements, sf.info("big").elementCount());
            MemorySegment seg = sf.segment("big");
            assertEquals(elements * 4, seg.byteSize());
            assertEquals(0f, seg.get(FloatDecoder.F32, 0));
            assertEquals(0f, seg.get(FloatDecoder.F32, seg.byteSize() - 4));
        }
    }

    @Test
    void tensorTooLargeForAJavaArrayIsRefusedClearly() throws IOException {
        Path f = sparse("huge.safetensors", "BF16", 1L << 31, 2);
        try (SafetensorsFile sf = SafetensorsFile.open(f)) {
            InvalidInputException e = assertThrows(InvalidInputException.class, () -> sf.readFloats("big"));
            assertTrue(e.getMessage().contains("huge.safetensors"), e.getMessage());
            assertTrue(e.getMessage().contains("too many for one Java array"), e.getMessage());
        }
    }
}
