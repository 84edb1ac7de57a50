package org.looplens.analyses;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The .npy layout NumPy expects: magic, version, a 64-aligned header with the shape, the data. */
class NpyWriterTest {
    @Test
    void aTwoByThreeArrayRoundTrips() {
        double[][] a = {{1, 2, 3}, {4.5, -6, Double.NaN}};
        byte[] npy = NpyWriter.npy(a);
        assertEquals((byte) 0x93, npy[0]);
        assertEquals("NUMPY", new String(npy, 1, 5, StandardCharsets.US_ASCII));
        assertEquals(1, npy[6]);
        int headerLength = (npy[8] & 0xFF) | (npy[9] & 0xFF) << 8;
        assertEquals(0, (10 + headerLength) % 64);
        String header = new String(npy, 10, headerLength, StandardCharsets.US_ASCII);
        assertTrue(header.contains("'descr': '<f8'") && header.contains("'shape': (2, 3)"), header);
        assertTrue(header.endsWith("\n"));
        ByteBuffer data = ByteBuffer.wrap(npy, 10 + headerLength, 48).order(ByteOrder.LITTLE_ENDIAN);
        for (double[] row : a) {
            for (double v : row) {
                assertEquals(Double.doubleToLongBits(v), Double.doubleToLongBits(data.getDouble()));
            }
        }
        assertEquals(10 + headerLength + 48, npy.length);
    }

    /** The same arrays make the same archive: entries in name order, no wall-clock time inside. */
    @Test
    void anArchiveIsTheSameBytesWhateverTheMapOrderAndTheTime() throws Exception {
        java.util.Map<String, byte[]> one = new java.util.LinkedHashMap<>();
        one.put("b", NpyWriter.npy(new double[] {1, 2}));
        one.put("a", NpyWriter.npy(new double[] {3}));
        java.util.Map<String, byte[]> other = new java.util.LinkedHashMap<>();
        other.put("a", one.get("a"));
        other.put("b", one.get("b"));
        java.io.ByteArrayOutputStream x = new java.io.ByteArrayOutputStream();
        NpyWriter.npz(one, x);
        Thread.sleep(2100); // zip times have a 2 s resolution: a clock in the entries would show
        java.io.ByteArrayOutputStream y = new java.io.ByteArrayOutputStream();
        NpyWriter.npz(other, y);
        org.junit.jupiter.api.Assertions.assertArrayEquals(x.toByteArray(), y.toByteArray());
        try (var zip = new java.util.zip.ZipInputStream(new java.io.ByteArrayInputStream(x.toByteArray()))) {
            assertEquals("a.npy", zip.getNextEntry().getName());
            assertEquals("b.npy", zip.getNextEntry().getName());
        }
    }

    @Test
    void aThreeDimensionalArrayIsWrittenInCOrder() {
        double[][][] a = {{{1, 2}, {3, 4}, {5, 6}}, {{7, 8}, {9, 10}, {11, 12}}};
        byte[] npy = NpyWriter.npy(a);
        int headerLength = (npy[8] & 0xFF) | (npy[9] & 0xFF) << 8;
        assertEquals(0, (10 + headerLength) % 64);
        String header = new String(npy, 10, headerLength, StandardCharsets.US_ASCII);
        assertTrue(header.contains("'shape': (2, 3, 2)"), header);
        ByteBuffer data = ByteBuffer.wrap(npy, 10 + headerLength, 96).order(ByteOrder.LITTLE_ENDIAN);
        for (int v = 1; v <= 12; v++) {
            assertEquals(v, data.getDouble(), 0, "row-major order, last index fastest");
        }
        assertEquals(10 + headerLength + 96, npy.length);
        assertThrows(IllegalArgumentException.class, () -> NpyWriter.npy(new double[][][] {{{1, 2}}, {{3}}}));
    }
}
