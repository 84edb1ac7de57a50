package org.looplens.engine.io;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;
import org.looplens.engine.InvalidInputException;

/**
 * A Hugging Face {@code model.safetensors.index.json}: {@code {"metadata": {...}, "weight_map":
 * {"tensor": "model-00001-of-00002.safetensors", ...}}}, parsed and checked on its own (the shards
 * themselves are checked by {@link SafetensorsShards}).
 *
 * <p>A shard name must be a plain file name in the index's folder: a name with a path separator
 * or {@code ..} could make a downloaded checkpoint read any file on the machine, so it is refused.
 */
public record ShardIndex(Path file, Map<String, String> weightMap) {

    public static final String FILE_NAME = "model.safetensors.index.json";

    /** Largest index accepted; real ones are a few hundred kilobytes. */
    static final long MAX_BYTES = 100_000_000;

    public ShardIndex {
        weightMap = Collections.unmodifiableMap(new TreeMap<>(weightMap));
    }

    /** Reads and checks an index file; every problem is an {@link InvalidInputException} naming it. */
    public static ShardIndex read(Path file) {
        String source = file.toString();
        JsonNode root = parse(file, source);
        JsonNode metadata = root.get("metadata");
        if (metadata != null && !metadata.isObject() && !metadata.isNull()) {
            throw new InvalidInputException(source, "\"metadata\" must be a JSON object");
        }
        JsonNode map = root.get("weight_map");
        if (map == null) {
            throw new InvalidInputException(source, "missing \"weight_map\"");
        }
        if (!map.isObject()) {
            throw new InvalidInputException(source, "\"weight_map\" must be a JSON object mapping tensor names to shard files");
        }
        if (map.isEmpty()) {
            throw new InvalidInputException(source, "\"weight_map\" is empty");
        }
        Map<String, String> weightMap = new TreeMap<>();
        for (Map.Entry<String, JsonNode> e : map.properties()) {
            String where = "weight_map[" + Quote.of(e.getKey()) + "]";
            if (!e.getValue().isTextual()) {
                throw new InvalidInputException(source, where + " must be a shard file name, got a "
                        + e.getValue().getNodeType().name().toLowerCase());
            }
            weightMap.put(e.getKey(), checkShardName(source, where, e.getValue().textValue()));
        }
        return new ShardIndex(file, weightMap);
    }

    /** The folder the shards lie in. */
    public Path folder() {
        return file.toAbsolutePath().getParent();
    }

    private static JsonNode parse(Path file, String source) {
        String text;
        try {
            if (Files.size(file) > MAX_BYTES) {
                throw new InvalidInputException(source, "larger than the " + MAX_BYTES + "-byte limit for an index");
            }
            text = Files.readString(file);
        } catch (NoSuchFileException e) {
            throw new InvalidInputException(source, "file not found");
        } catch (java.nio.charset.MalformedInputException e) {
            throw new InvalidInputException(source, "not valid UTF-8");
        } catch (IOException e) {
            throw new InvalidInputException(source, "cannot read: " + e.getMessage(), e);
        }
        JsonNode root;
        try {
            root = SafetensorsHeader.JSON.readTree(text);
        } catch (JacksonException e) {
            String detail = e.getOriginalMessage() == null ? "no detail" : e.getOriginalMessage().replaceAll("\\s+", " ").strip();
            throw new InvalidInputException(source, "not valid JSON (" + detail + ")");
        }
        if (root == null || root.isMissingNode() || !root.isObject()) {
            throw new InvalidInputException(source, "expected a JSON object with \"weight_map\"");
        }
        return root;
    }

    private static String checkShardName(String source, String where, String name) {
        if (name.isEmpty() || name.contains("/") || name.contains("\\") || name.contains("..")
                || name.indexOf('\0') >= 0 || name.contains(":")) {
            throw new InvalidInputException(source, where + " names shard " + Quote.of(name)
                    + ", which is not a plain file name in the checkpoint folder");
        }
        return name;
    }
}
