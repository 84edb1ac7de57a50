package org.looplens.engine.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeout;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.looplens.engine.InvalidInputException;

/** Every damaged or hostile file is refused at open with one line naming the file and the problem. */
class SafetensorsMalformedTest {
    @TempDir
    Path dir;

    /** Opens the file, expects a refusal, and checks the message names the file and {@code keyword}. */
    private static InvalidInputException refused(Path file, String keyword) {
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> SafetensorsFile.open(file).close());
        assertMessage(e, file, keyword);
        return e;
    }

    private static void assertMessage(InvalidInputException e, Path file, String keyword) {
        String m = e.getMessage();
        assertTrue(m.contains(file.getFileName().toString()), () -> "no file name in: " + m);
        assertTrue(m.contains(keyword), () -> "no '" + keyword + "' in: " + m);
        assertTrue(!m.contains("\n"), () -> "not one line: " + m);
    }

    private Path file(String name, String header, byte[] data) {
        return RawSafetensors.write(dir, name, header, data);
    }

    @Test
    void shorterThanTheLengthPrefixIsTruncated() {
        refused(RawSafetensors.writeBytes(dir, "short.safetensors", new byte[5]), "truncated");
        refused(RawSafetensors.writeBytes(dir, "empty.safetensors", new byte[0]), "truncated");
    }

    @Test
    void headerLengthBeyondTheFileIsTruncated() {
        refused(RawSafetensors.write(dir, "cut.safetensors", 1000, "{}".getBytes()), "truncated");
    }

    @Test
    void absurdHeaderLengthIsRefused() {
        refused(RawSafetensors.write(dir, "huge.safetensors", 1L << 40, new byte[16]), "header length");
        refused(RawSafetensors.write(dir, "u64.safetensors", -1L, new byte[16]), "18446744073709551615");
    }

    @Test
    void headerNotJson() {
        refused(file("garbage.safetensors", "{not json", new byte[0]), "not valid JSON");
        refused(file("trailing.safetensors", "{} {}", new byte[0]), "not valid JSON");
        refused(file("dup.safetensors", "{\"__metadata__\":{},\"__metadata__\":{}}", new byte[0]), "not valid JSON");
        refused(RawSafetensors.write(dir, "utf8.safetensors", 3, new byte[] {'{', (byte) 0xff, '}'}), "UTF-8");
        refused(file("blank.safetensors", "   ", new byte[0]), "empty");
    }

    @Test
    void headerJsonArray() {
        refused(file("array.safetensors", "[1, 2]", new byte[0]), "expected a JSON object");
    }

    @Test
    void entryNotAnObject() {
        refused(file("entry.safetensors", "{\"w\": 3}", new byte[0]), "not a JSON object");
    }

    @Test
    void entryMissingDataOffsets() {
        refused(file("nooffsets.safetensors", "{\"w\":{\"dtype\":\"F32\",\"shape\":[1]}}", new byte[4]), "data_offsets");
    }

    @Test
    void entryMissingDtypeOrShape() {
        refused(file("nodtype.safetensors", "{\"w\":{\"shape\":[1],\"data_offsets\":[0,4]}}", new byte[4]), "dtype");
        refused(file("noshape.safetensors", "{\"w\":{\"dtype\":\"F32\",\"data_offsets\":[0,4]}}", new byte[4]), "shape");
    }

    @Test
    void unknownDtype() {
        refused(file("dtype.safetensors", "{\"w\":{\"dtype\":\"Q7\",\"shape\":[1],\"data_offsets\":[0,4]}}", new byte[4]),
                "unknown dtype 'Q7'");
    }

    @Test
    void negativeDimension() {
        refused(file("neg.safetensors", "{\"w\":{\"dtype\":\"F32\",\"shape\":[2,-1],\"data_offsets\":[0,4]}}", new byte[4]),
                "negative");
    }

    @Test
    void nonIntegerDimension() {
        refused(file("frac.safetensors", "{\"w\":{\"dtype\":\"F32\",\"shape\":[1.5],\"data_offsets\":[0,4]}}", new byte[4]),
                "integers");
    }

    @Test
    void aTrillionElementClaimFailsFastWithoutAllocating() {
        Path small = file("trillion.safetensors",
                "{\"w\":{\"dtype\":\"F32\",\"shape\":[1000000,1000000],\"data_offsets\":[0,8]}}", new byte[8]);
        Path big = file("trillion2.safetensors",
                "{\"w\":{\"dtype\":\"F32\",\"shape\":[1000000,1000000],\"data_offsets\":[0,4000000000000]}}", new byte[8]);
        assertTimeout(Duration.ofSeconds(10), () -> {
            refused(small, "bytes");
            refused(big, "truncated");
        });
    }

    /** The refusal costs what the header costs: nothing near the 4 TB the claim would need. */
    @Test
    void aTrillionElementClaimIsRefusedBeforeAllocatingForIt() {
        Path big = file("claim.safetensors",
                "{\"w\":{\"dtype\":\"F32\",\"shape\":[1000000,1000000],\"data_offsets\":[0,4000000000000]}}", new byte[8]);
        Path consistent = file("claim2.safetensors",
                "{\"w\":{\"dtype\":\"F32\",\"shape\":[1000000,1000000],\"data_offsets\":[0,8]}}", new byte[8]);
        refused(big, "truncated"); // once, so class loading does not count below
        var threads = (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
        long before = threads.getCurrentThreadAllocatedBytes();
        refused(big, "truncated");
        refused(consistent, "needs 4000000000000 bytes");
        long allocated = threads.getCurrentThreadAllocatedBytes() - before;
        assertTrue(allocated < 1 << 20, () -> allocated + " bytes allocated to refuse two 10^12-element claims");
    }

    @Test
    void elementCountOverflow() {
        refused(file("overflow.safetensors",
                "{\"w\":{\"dtype\":\"F32\",\"shape\":[9223372036854775807,2],\"data_offsets\":[0,4]}}", new byte[4]),
                "too many elements");
    }

    @Test
    void offsetsNotTwoNonNegativeIntegers() {
        String[] bad = {"[0]", "[0,4,8]", "[-4,0]", "\"0-4\"", "[0,4.0]", "[0,99999999999999999999]"};
        for (int i = 0; i < bad.length; i++) {
            refused(file("offsets" + i + ".safetensors",
                    "{\"w\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":" + bad[i] + "}}", new byte[4]),
                    "data_offsets must be two non-negative integers");
        }
    }

    @Test
    void offsetsBeyondTheDataSection() {
        refused(file("range.safetensors", "{\"w\":{\"dtype\":\"F32\",\"shape\":[4],\"data_offsets\":[0,16]}}", new byte[8]),
                "truncated");
    }

    @Test
    void beginAfterEnd() {
        refused(file("order.safetensors", "{\"w\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[8,4]}}", new byte[8]),
                "is after end");
    }

    @Test
    void overlappingTensors() {
        refused(file("overlap.safetensors", "{"
                + "\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},"
                + "\"b\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[4,12]}}", new byte[12]),
                "overlap");
    }

    @Test
    void holeBetweenTensors() {
        refused(file("hole.safetensors", "{"
                + "\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]},"
                + "\"b\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[8,12]}}", new byte[12]),
                "hole");
    }

    @Test
    void trailingBytesAfterTheLastTensor() {
        refused(file("tail.safetensors", "{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]}}", new byte[8]),
                "hole");
    }

    @Test
    void shapeTimesDtypeSizeDiffersFromByteLength() {
        refused(file("size.safetensors", "{\"w\":{\"dtype\":\"BF16\",\"shape\":[3],\"data_offsets\":[0,8]}}", new byte[8]),
                "needs 6 bytes");
    }

    @Test
    void metadataMustBeStringToString() {
        refused(file("meta.safetensors", "{\"__metadata__\":{\"k\":1}}", new byte[0]), "__metadata__");
        refused(file("meta2.safetensors", "{\"__metadata__\":[]}", new byte[0]), "__metadata__");
    }

    @Test
    void controlCharactersInNamesDoNotBreakTheOneLineMessage() {
        InvalidInputException e = refused(
                file("ctl.safetensors", "{\"a\\nb\":{\"dtype\":\"Q\",\"shape\":[],\"data_offsets\":[0,0]}}", new byte[0]),
                "unknown dtype");
        assertTrue(e.getMessage().contains("a\\u000ab"), e.getMessage());
    }

    @Test
    void missingFileAndDirectory() {
        refused(dir.resolve("absent.safetensors"), "no such file");
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> SafetensorsFile.open(dir));
        assertTrue(e.getMessage().contains("directory"), e.getMessage());
    }

    @Test
    void missingTensorByName() {
        Path f = file("one.safetensors", "{\"w\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]}}", new byte[4]);
        try (SafetensorsFile sf = SafetensorsFile.open(f)) {
            for (var call : new org.junit.jupiter.api.function.Executable[] {
                    () -> sf.info("v"), () -> sf.read("v"), () -> sf.readFloats("v"), () -> sf.segment("v")}) {
                assertMessage(assertThrows(InvalidInputException.class, call), f, "missing tensor 'v'");
            }
        }
    }

    @Test
    void wrongExpectedShape() {
        Path f = file("shape.safetensors", "{\"w\":{\"dtype\":\"F32\",\"shape\":[2,3],\"data_offsets\":[0,24]}}", new byte[24]);
        try (SafetensorsFile sf = SafetensorsFile.open(f)) {
            InvalidInputException e = assertThrows(InvalidInputException.class, () -> sf.read("w", 3, 2));
            assertMessage(e, f, "has shape [2, 3], expected [3, 2]");
            assertEquals(6, sf.read("w", 2, 3).size());
        }
    }

    @Test
    void unreadableDtypeIsRecognisedButNotReadAsFloat() {
        Path f = file("i64.safetensors", "{\"ids\":{\"dtype\":\"I64\",\"shape\":[2],\"data_offsets\":[0,16]}}", new byte[16]);
        try (SafetensorsFile sf = SafetensorsFile.open(f)) {
            assertEquals(DType.I64, sf.info("ids").dtype());
            assertEquals(16, sf.segment("ids").byteSize());
            assertMessage(assertThrows(InvalidInputException.class, () -> sf.readFloats("ids")), f,
                    "tensor 'ids' has dtype I64, which LoopLens cannot read");
            assertMessage(assertThrows(InvalidInputException.class, () -> sf.scanNonFinite("ids")), f, "cannot read");
        }
    }
}
