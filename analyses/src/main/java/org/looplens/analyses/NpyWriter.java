package org.looplens.analyses;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * NumPy's {@code .npy} format (version 1.0, little-endian float64) for the arrays of an analysis,
 * and {@code .npz} (a zip of them), so {@code numpy.load} reads every number a result holds.
 */
public final class NpyWriter {
    private NpyWriter() {}

    /** A 2-D array as one .npy file (rows must have equal length). */
    public static byte[] npy(double[][] rows) {
        int r = rows.length;
        int c = r == 0 ? 0 : rows[0].length;
        ByteBuffer data = ByteBuffer.allocate(8 * r * c).order(ByteOrder.LITTLE_ENDIAN);
        for (double[] row : rows) {
            if (row.length != c) {
                throw new IllegalArgumentException("ragged array: rows of " + c + " and " + row.length);
            }
            for (double v : row) {
                data.putDouble(v);
            }
        }
        return withHeader(String.format(Locale.ROOT, "(%d, %d)", r, c), data.array());
    }

    /** A 3-D array as one .npy file (a box: every row of every slab has the same length). */
    public static byte[] npy(double[][][] slabs) {
        int a = slabs.length;
        int b = a == 0 ? 0 : slabs[0].length;
        int c = b == 0 ? 0 : slabs[0][0].length;
        ByteBuffer data = ByteBuffer.allocate(8 * a * b * c).order(ByteOrder.LITTLE_ENDIAN);
        for (double[][] slab : slabs) {
            if (slab.length != b) {
                throw new IllegalArgumentException("ragged array: slabs of " + b + " and " + slab.length + " rows");
            }
            for (double[] row : slab) {
                if (row.length != c) {
                    throw new IllegalArgumentException("ragged array: rows of " + c + " and " + row.length);
                }
                for (double v : row) {
                    data.putDouble(v);
                }
            }
        }
        return withHeader(String.format(Locale.ROOT, "(%d, %d, %d)", a, b, c), data.array());
    }

    /** A 1-D array as one .npy file. */
    public static byte[] npy(double[] values) {
        ByteBuffer data = ByteBuffer.allocate(8 * values.length).order(ByteOrder.LITTLE_ENDIAN);
        for (double v : values) {
            data.putDouble(v);
        }
        return withHeader("(" + values.length + ",)", data.array());
    }

    private static byte[] withHeader(String shape, byte[] data) {
        String dict = "{'descr': '<f8', 'fortran_order': False, 'shape': " + shape + ", }";
        int unpadded = 10 + dict.length() + 1;
        int padded = (unpadded + 63) / 64 * 64; // the header ends on a 64-byte boundary
        String header = dict + " ".repeat(padded - unpadded) + "\n";
        ByteArrayOutputStream out = new ByteArrayOutputStream(padded + data.length);
        out.writeBytes(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0});
        int len = header.length();
        out.write(len & 0xFF);
        out.write((len >> 8) & 0xFF);
        out.writeBytes(header.getBytes(StandardCharsets.US_ASCII));
        out.writeBytes(data);
        return out.toByteArray();
    }

    /** The earliest time a zip entry records (1980-01-01): no wall clock in the archive. */
    private static final java.time.LocalDateTime FIXED_TIME = java.time.LocalDateTime.of(1980, 1, 1, 0, 0);

    /**
     * Named arrays as an .npz archive ({@code name.npy} entries), in name order and with a fixed
     * entry time: the same arrays make the same bytes, whatever the map and whenever written.
     */
    public static void npz(Map<String, byte[]> arrays, OutputStream target) throws IOException {
        ZipOutputStream zip = new ZipOutputStream(target);
        for (var e : new java.util.TreeMap<>(arrays).entrySet()) {
            ZipEntry entry = new ZipEntry(e.getKey() + ".npy");
            entry.setTimeLocal(FIXED_TIME);
            zip.putNextEntry(entry);
            zip.write(e.getValue());
            zip.closeEntry();
        }
        zip.finish();
    }
}
