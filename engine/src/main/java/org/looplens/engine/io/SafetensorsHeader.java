package org.looplens.engine.io;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.looplens.engine.InvalidInputException;

/**
 * The parsed and validated JSON header of a safetensors file.
 *
 * <p>Every check a hostile or damaged file could fail is made here, on numbers alone, before
 * anything proportional to a tensor is allocated: afterwards each tensor is known to lie inside
 * the data section with exactly the bytes its shape and dtype need, and the tensors tile the data
 * section without overlaps or holes, as the format requires.
 */
record SafetensorsHeader(Map<String, TensorInfo> tensors, Map<String, String> metadata) {

    /** The header size limit the reference implementation enforces. */
    static final long MAX_HEADER_BYTES = 100_000_000;

    static final String METADATA_KEY = "__metadata__";

    static final JsonMapper JSON = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    /**
     * Parses the header bytes of a file whose data section is {@code dataLength} bytes long.
     *
     * @param source names the file in error messages
     */
    static SafetensorsHeader parse(String source, byte[] headerBytes, long dataLength) {
        JsonNode root = parseJson(source, headerBytes);
        Map<String, TensorInfo> tensors = new TreeMap<>();
        Map<String, String> metadata = Map.of();
        for (Map.Entry<String, JsonNode> e : root.properties()) {
            if (e.getKey().equals(METADATA_KEY)) {
                metadata = parseMetadata(source, e.getValue());
            } else {
                tensors.put(e.getKey(), parseEntry(source, e.getKey(), e.getValue(), dataLength));
            }
        }
        checkTiling(source, tensors.values(), dataLength);
        return new SafetensorsHeader(Collections.unmodifiableMap(tensors), metadata);
    }

    private static JsonNode parseJson(String source, byte[] headerBytes) {
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(headerBytes))
                    .toString();
        } catch (CharacterCodingException e) {
            throw new InvalidInputException(source, "header is not valid UTF-8");
        }
        JsonNode root;
        try {
            root = JSON.readTree(text);
        } catch (JacksonException e) {
            String detail = oneLine(e.getOriginalMessage());
            if (detail.startsWith("Trailing token")) {
                detail = "more content after the top-level object";
            }
            throw new InvalidInputException(source, "header is not valid JSON (" + detail + ")");
        }
        if (root == null || root.isMissingNode()) {
            throw new InvalidInputException(source, "header is empty, expected a JSON object");
        }
        if (!root.isObject()) {
            throw new InvalidInputException(
                    source, "header is a JSON " + root.getNodeType().name().toLowerCase() + ", expected a JSON object");
        }
        return root;
    }

    private static Map<String, String> parseMetadata(String source, JsonNode node) {
        if (node.isNull()) {
            return Map.of();
        }
        if (!node.isObject()) {
            throw new InvalidInputException(source, METADATA_KEY + " must be a JSON object mapping strings to strings");
        }
        Map<String, String> metadata = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> e : node.properties()) {
            if (!e.getValue().isTextual()) {
                throw new InvalidInputException(source, METADATA_KEY + " must map strings to strings, but "
                        + Quote.of(e.getKey()) + " is a " + e.getValue().getNodeType().name().toLowerCase());
            }
            metadata.put(e.getKey(), e.getValue().textValue());
        }
        return Collections.unmodifiableMap(metadata);
    }

    private static TensorInfo parseEntry(String source, String name, JsonNode node, long dataLength) {
        String where = "tensor " + Quote.of(name);
        if (!node.isObject()) {
            throw new InvalidInputException(source, where + ": header entry is not a JSON object");
        }
        DType dtype = parseDtype(source, where, required(source, where, node, "dtype"));
        long[] shape = parseShape(source, where, required(source, where, node, "shape"));
        long[] offsets = parseOffsets(source, where, required(source, where, node, "data_offsets"));
        long begin = offsets[0];
        long end = offsets[1];
        if (begin > end) {
            throw new InvalidInputException(source, where + ": data_offsets begin " + begin + " is after end " + end);
        }
        if (end > dataLength) {
            throw new InvalidInputException(source, "truncated: " + where + " ends at data byte " + end
                    + " but the data section has only " + dataLength + " bytes");
        }
        long needed = byteLength(source, where, dtype, shape);
        if (needed != end - begin) {
            throw new InvalidInputException(source, where + ": shape " + Arrays.toString(shape) + " of " + dtype
                    + " needs " + needed + " bytes, but data_offsets span " + (end - begin));
        }
        return new TensorInfo(name, dtype, shape, begin, end);
    }

    private static JsonNode required(String source, String where, JsonNode entry, String field) {
        JsonNode value = entry.get(field);
        if (value == null) {
            throw new InvalidInputException(source, where + ": header entry is missing \"" + field + "\"");
        }
        return value;
    }

    private static DType parseDtype(String source, String where, JsonNode node) {
        if (!node.isTextual()) {
            throw new InvalidInputException(source, where + ": dtype is not a string");
        }
        return DType.fromName(node.textValue()).orElseThrow(() ->
                new InvalidInputException(source, where + ": unknown dtype " + Quote.of(node.textValue())));
    }

    private static long[] parseShape(String source, String where, JsonNode node) {
        if (!node.isArray()) {
            throw new InvalidInputException(source, where + ": shape is not a JSON array");
        }
        long[] shape = new long[node.size()];
        for (int i = 0; i < shape.length; i++) {
            JsonNode d = node.get(i);
            if (!isLong(d)) {
                throw new InvalidInputException(source, where + ": shape must be a list of integers, got " + brief(node));
            }
            shape[i] = d.longValue();
            if (shape[i] < 0) {
                throw new InvalidInputException(source, where + ": negative dimension in shape " + brief(node));
            }
        }
        return shape;
    }

    private static long[] parseOffsets(String source, String where, JsonNode node) {
        if (!node.isArray() || node.size() != 2 || !isLong(node.get(0)) || !isLong(node.get(1))
                || node.get(0).longValue() < 0 || node.get(1).longValue() < 0) {
            throw new InvalidInputException(source, where + ": data_offsets must be two non-negative integers, got " + brief(node));
        }
        return new long[] {node.get(0).longValue(), node.get(1).longValue()};
    }

    /** Bytes the shape needs; refuses counts whose byte size would not fit a long. */
    private static long byteLength(String source, String where, DType dtype, long[] shape) {
        long count = 1;
        try {
            for (long d : shape) {
                count = Math.multiplyExact(count, d);
            }
            long bits = Math.multiplyExact(count, dtype.bitSize());
            if (bits % 8 != 0) {
                throw new InvalidInputException(source, where + ": shape " + Arrays.toString(shape) + " of " + dtype
                        + " does not fill a whole number of bytes");
            }
            return bits / 8;
        } catch (ArithmeticException e) {
            throw new InvalidInputException(source, where + ": shape " + Arrays.toString(shape)
                    + " has too many elements (the size overflows)");
        }
    }

    /** Tensors must cover the data section exactly once: no byte shared, none left over. */
    private static void checkTiling(String source, Iterable<TensorInfo> tensors, long dataLength) {
        List<TensorInfo> sorted = new ArrayList<>();
        tensors.forEach(sorted::add);
        sorted.sort(Comparator.comparingLong(TensorInfo::begin).thenComparingLong(TensorInfo::end));
        long covered = 0;
        TensorInfo previous = null;
        for (TensorInfo t : sorted) {
            if (t.begin() < covered) {
                throw new InvalidInputException(source, "tensors " + Quote.of(previous.name()) + " and "
                        + Quote.of(t.name()) + " overlap (data bytes " + range(previous) + " and " + range(t) + ")");
            }
            if (t.begin() > covered) {
                throw new InvalidInputException(source, "hole in the data section: bytes [" + covered + ", "
                        + t.begin() + ") belong to no tensor");
            }
            covered = t.end();
            previous = t;
        }
        if (covered != dataLength) {
            throw new InvalidInputException(source, "hole in the data section: bytes [" + covered + ", "
                    + dataLength + ") at its end belong to no tensor");
        }
    }

    private static boolean isLong(JsonNode n) {
        return n.isIntegralNumber() && n.canConvertToLong();
    }

    private static String range(TensorInfo t) {
        return "[" + t.begin() + ", " + t.end() + ")";
    }

    /** A JSON value for a message: one line, and short even if the file holds megabytes there. */
    private static String brief(JsonNode node) {
        String s = node.toString();
        return s.length() <= 100 ? s : s.substring(0, 100) + "...";
    }

    private static String oneLine(String s) {
        return s == null ? "no detail" : s.replaceAll("\\s+", " ").strip();
    }
}
