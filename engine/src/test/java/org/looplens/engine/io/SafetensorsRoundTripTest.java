package org.looplens.engine.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.looplens.engine.tensor.FloatTensor;

class SafetensorsRoundTripTest {
    @TempDir
    Path dir;

    /** Values that stress conversions: signed zeros, subnormals, extremes, infinities, NaN, ties. */
    private static float[] awkwardValues(int randomCount) {
        float[] fixed = {
            0f, -0f, 1f, -1f, 0.1f, -2.5e-3f, Float.MIN_VALUE, -Float.MIN_VALUE, Float.MIN_NORMAL,
            Float.MAX_VALUE, -Float.MAX_VALUE, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, Float.NaN,
            Float.intBitsToFloat(0x7f800001), // NaN whose payload lies only in the bits BF16 drops
            Float.intBitsToFloat(0x3f808000), // tie, lower neighbour even
            Float.intBitsToFloat(0x3f818000), // tie, lower neighbour odd
            Float.intBitsToFloat(0x7f7f8000), // tie at the top: rounds to infinity
            Float.intBitsToFloat(0x00008000), // subnormal tie
        };
        Random r = new Random(42);
        float[] out = Arrays.copyOf(fixed, fixed.length + randomCount);
        for (int i = fixed.length; i < out.length; i++) {
            out[i] = Float.intBitsToFloat(r.nextInt());
        }
        return out;
    }

    /**
     * BF16 rounding worked out from the two neighbouring BF16 values, independently of the
     * bit trick in {@link Bf16}: nearest wins, a tie goes to the even one.
     */
    private static float manualBf16(float f) {
        if (Float.isNaN(f) || Float.isInfinite(f)) {
            return f;
        }
        int lowerBits = Float.floatToRawIntBits(f) & 0xffff0000;
        float lower = Float.intBitsToFloat(lowerBits);
        double step = (double) Math.ulp(lower) * 65536; // a BF16 ulp is 2^16 float ulps
        double below = Math.abs((double) f) - Math.abs((double) lower);
        double above = Math.abs((double) lower) + step - Math.abs((double) f);
        boolean up = below > above || (below == above && ((lowerBits >>> 16) & 1) == 1);
        return up ? Float.intBitsToFloat(lowerBits + 0x10000) : lower;
    }

    @Test
    void f32RoundTripIsBitExact() {
        float[] values = awkwardValues(1000);
        Map<String, FloatTensor> tensors = new LinkedHashMap<>();
        tensors.put("model.embed", new FloatTensor(values, values.length));
        tensors.put("scalar", new FloatTensor(new float[] {3.5f}));
        tensors.put("empty", new FloatTensor(new float[0], 0, 4));
        tensors.put("matrix", new FloatTensor(new float[] {1, 2, 3, 4, 5, 6}, 2, 3));
        Path f = dir.resolve("f32.safetensors");
        SafetensorsWriter.write(f, tensors, DType.F32);

        try (SafetensorsFile sf = SafetensorsFile.open(f)) {
            assertEquals(List.of("empty", "matrix", "model.embed", "scalar"), List.copyOf(sf.names()));
            assertTrue(sf.contains("scalar"));
            assertFalse(sf.contains("__metadata__"));
            assertTrue(sf.metadata().isEmpty());
            float[] back = sf.readFloats("model.embed");
            for (int i = 0; i < values.length; i++) {
                assertEquals(Float.floatToRawIntBits(values[i]), Float.floatToRawIntBits(back[i]), "element " + i);
            }
            assertEquals(0, sf.read("scalar").rank());
            assertEquals(3.5f, sf.read("scalar").data()[0]);
            assertArrayEquals(new int[] {0, 4}, sf.read("empty").shape());
            FloatTensor m = sf.read("matrix", 2, 3);
            assertEquals(6f, m.get(1, 2));
            TensorInfo info = sf.info("matrix");
            assertEquals(DType.F32, info.dtype());
            assertArrayEquals(new long[] {2, 3}, info.shape());
            assertEquals(24, info.byteLength());
            assertTrue(sf.segment("matrix").isMapped());
            assertTrue(sf.segment("matrix").isReadOnly());
        }
    }

    @Test
    void bf16WriteThenReadGivesNearestEvenRounding() {
        float[] values = awkwardValues(10_000);
        Path f = dir.resolve("bf16.safetensors");
        SafetensorsWriter.write(f, Map.of("w", new FloatTensor(values, values.length)), DType.BF16);
        try (SafetensorsFile sf = SafetensorsFile.open(f)) {
            assertEquals(DType.BF16, sf.info("w").dtype());
            float[] back = sf.readFloats("w");
            for (int i = 0; i < values.length; i++) {
                float expected = manualBf16(values[i]);
                if (Float.isNaN(expected)) {
                    assertTrue(Float.isNaN(back[i]), "NaN lost at " + i);
                } else {
                    assertEquals(Float.floatToRawIntBits(expected), Float.floatToRawIntBits(back[i]),
                            "element " + i + " = " + values[i]);
                }
            }
            assertEquals(Float.POSITIVE_INFINITY, back[17]);
        }
    }

    @Test
    void f16ReadFromHandMadeBytes() {
        // 1.0, -2.0, 65504 (max half), smallest subnormal, +inf, NaN, 0.333 (0x3555)
        byte[] data = RawSafetensors.u16(0x3c00, 0xc000, 0x7bff, 0x0001, 0x7c00, 0x7e00, 0x3555, 0x8000);
        Path f = RawSafetensors.write(dir, "half.safetensors",
                "{\"h\":{\"dtype\":\"F16\",\"shape\":[2,4],\"data_offsets\":[0,16]}}", data);
        try (SafetensorsFile sf = SafetensorsFile.open(f)) {
            float[] v = sf.read("h", 2, 4).data();
            assertEquals(1f, v[0]);
            assertEquals(-2f, v[1]);
            assertEquals(65504f, v[2]);
            assertEquals(0x1p-24f, v[3]);
            assertEquals(Float.POSITIVE_INFINITY, v[4]);
            assertTrue(Float.isNaN(v[5]));
            assertEquals(0.33325195f, v[6]);
            assertEquals(Float.floatToRawIntBits(-0f), Float.floatToRawIntBits(v[7]));
            assertEquals(2, sf.scanNonFinite("h"));
        }
    }

    @Test
    void bf16ReadFromHandMadeBytesAtAnUnalignedOffset() {
        // A 1-byte U8 tensor first puts the BF16 tensor at an odd address.
        byte[] data = RawSafetensors.concat(new byte[] {7}, RawSafetensors.u16(0x3f80, 0xc040, 0x7fc0));
        Path f = RawSafetensors.write(dir, "odd.safetensors", "{"
                + "\"b\":{\"dtype\":\"U8\",\"shape\":[1],\"data_offsets\":[0,1]},"
                + "\"w\":{\"dtype\":\"BF16\",\"shape\":[3],\"data_offsets\":[1,7]}}", data);
        try (SafetensorsFile sf = SafetensorsFile.open(f)) {
            float[] v = sf.readFloats("w");
            assertEquals(1f, v[0]);
            assertEquals(-3f, v[1]);
            assertTrue(Float.isNaN(v[2]));
        }
    }

    @Test
    void f16WriteRoundTrip() {
        float[] values = {0.5f, -1.25f, 1e-3f, 70000f};
        Path f = dir.resolve("f16.safetensors");
        SafetensorsWriter.write(f, Map.of("w", new FloatTensor(values, 4)), DType.F16);
        try (SafetensorsFile sf = SafetensorsFile.open(f)) {
            float[] back = sf.readFloats("w");
            for (int i = 0; i < values.length; i++) {
                assertEquals(Float.float16ToFloat(Float.floatToFloat16(values[i])), back[i]);
            }
            assertEquals(Float.POSITIVE_INFINITY, back[3]);
        }
    }

    @Test
    void metadataRoundTrip() {
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put("format", "pt");
        meta.put("note", "ünïcödé, \"quotes\"\nand a newline");
        Path f = dir.resolve("meta.safetensors");
        SafetensorsWriter.write(f, Map.of("w", FloatTensor.zeros(2)), DType.F32, meta);
        try (SafetensorsFile sf = SafetensorsFile.open(f)) {
            assertEquals(meta, sf.metadata());
            assertEquals(List.of("w"), List.copyOf(sf.names()));
        }
    }

    /** The same tensors and metadata make the same bytes, in whatever order the metadata map iterates. */
    @Test
    void metadataOrderDoesNotChangeTheFile() throws IOException {
        Map<String, String> one = new LinkedHashMap<>();
        one.put("producer", "looplens trace");
        one.put("format", "pt");
        Map<String, String> other = new LinkedHashMap<>();
        other.put("format", "pt");
        other.put("producer", "looplens trace");
        Path a = dir.resolve("a.safetensors");
        Path b = dir.resolve("b.safetensors");
        SafetensorsWriter.write(a, Map.of("w", FloatTensor.zeros(2)), DType.F32, one);
        SafetensorsWriter.write(b, Map.of("w", FloatTensor.zeros(2)), DType.F32, other);
        assertArrayEquals(java.nio.file.Files.readAllBytes(a), java.nio.file.Files.readAllBytes(b));
    }

    @Test
    void headerIsPaddedAndReadableByAnIndependentParser() throws IOException {
        Map<String, FloatTensor> tensors = new LinkedHashMap<>();
        tensors.put("b", new FloatTensor(new float[] {1, 2, 3}, 3));
        tensors.put("a", new FloatTensor(new float[] {4}, 1, 1));
        Path f = dir.resolve("pad.safetensors");
        SafetensorsWriter.write(f, tensors, DType.BF16, Map.of("k", "v"));

        byte[] bytes = Files.readAllBytes(f);
        long n = ByteBuffer.wrap(bytes, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
        assertEquals(0, n % 8, "header length " + n);
        String headerText = new String(bytes, 8, (int) n, StandardCharsets.UTF_8);
        assertTrue(headerText.startsWith("{"));
        JsonNode header = new ObjectMapper().readTree(headerText);
        assertEquals("v", header.get("__metadata__").get("k").asText());
        assertEquals("BF16", header.get("b").get("dtype").asText());
        assertEquals("[0,6]", header.get("b").get("data_offsets").toString());
        assertEquals("[1,1]", header.get("a").get("shape").toString());
        assertEquals("[6,8]", header.get("a").get("data_offsets").toString());
        assertEquals(8 + n + 8, bytes.length);
        // BF16 of 1.0 is 0x3f80, little-endian.
        assertEquals((byte) 0x80, bytes[(int) (8 + n)]);
        assertEquals((byte) 0x3f, bytes[(int) (8 + n + 1)]);

        ByteArrayOutputStream out = new ByteArrayOutputStream();
        SafetensorsWriter.writeTo(out, tensors, DType.BF16, Map.of("k", "v"));
        assertArrayEquals(bytes, out.toByteArray());
    }

    @Test
    void writerRejectsReservedNameAndUnsupportedDtype() {
        Path f = dir.resolve("bad.safetensors");
        assertThrows(IllegalArgumentException.class,
                () -> SafetensorsWriter.write(f, Map.of("__metadata__", FloatTensor.zeros(1)), DType.F32));
        assertThrows(IllegalArgumentException.class,
                () -> SafetensorsWriter.write(f, Map.of("w", FloatTensor.zeros(1)), DType.I64));
        assertFalse(Files.exists(f));
    }

    @Test
    void nonFiniteValuesAreCounted() {
        float[] values = {1f, Float.NaN, 2f, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, -0f};
        Path f = dir.resolve("nan.safetensors");
        Map<String, FloatTensor> tensors = new LinkedHashMap<>();
        tensors.put("bad", new FloatTensor(values, 6));
        tensors.put("good", new FloatTensor(new float[] {1, 2}, 2));
        SafetensorsWriter.write(f, tensors, DType.BF16);
        try (SafetensorsFile sf = SafetensorsFile.open(f)) {
            assertEquals(3, sf.scanNonFinite("bad"));
            assertEquals(0, sf.scanNonFinite("good"));
            assertEquals(3, NonFinite.count(sf.readFloats("bad")));
        }
        assertEquals(0, NonFinite.count(new float[0]));
    }

    @Test
    void readingAfterCloseFails() {
        Path f = dir.resolve("closed.safetensors");
        SafetensorsWriter.write(f, Map.of("w", FloatTensor.zeros(4)), DType.F32);
        SafetensorsFile sf = SafetensorsFile.open(f);
        var segment = sf.segment("w");
        sf.close();
        sf.close();
        assertThrows(IllegalStateException.class, () -> sf.readFloats("w"));
        assertThrows(IllegalStateException.class, () -> segment.get(FloatDecoder.F32, 0));
    }
}
