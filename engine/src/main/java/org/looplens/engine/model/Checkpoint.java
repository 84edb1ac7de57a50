package org.looplens.engine.model;

import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.looplens.engine.InvalidInputException;
import org.looplens.engine.config.LoopConfig;
import org.looplens.engine.io.AtomicFiles;
import org.looplens.engine.io.DType;
import org.looplens.engine.io.SafetensorsFile;
import org.looplens.engine.io.SafetensorsShards;
import org.looplens.engine.io.ShardIndex;
import org.looplens.engine.io.SafetensorsWriter;
import org.looplens.engine.tensor.FloatTensor;
import org.looplens.engine.tensor.WeightMatrix;

/**
 * Checkpoint folders in the Hugging Face layout: {@code config.json} beside
 * {@code model.safetensors}, or beside {@code model.safetensors.index.json} and the shards it lists
 * (loaded exactly alike: a sharded checkpoint gives the same weights, mapped in place the same way). LoopLens keeps its own files (tokenizer, training state) next to
 * these two and never changes their format, so the official modeling code can load what we write.
 */
public final class Checkpoint {
    public static final String WEIGHTS_FILE = "model.safetensors";

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private Checkpoint() {}

    /** Loads and checks a checkpoint folder, with every weight as float32 on the heap (trainable). */
    public static LoopModel load(Path dir) {
        return read(dir, false);
    }

    /**
     * Loads a checkpoint for inference with its BF16 matrices used in place from the memory-mapped
     * file: no float32 copy, so the resident memory stays near the file size. Close the model to
     * unmap the file. Such weights are not scanned for NaN (that would read the whole file).
     */
    public static LoopModel loadMapped(Path dir) {
        return read(dir, true);
    }

    private static LoopModel read(Path dir, boolean mapped) {
        if (!Files.isDirectory(dir)) {
            throw new InvalidInputException(dir.toString(), Files.exists(dir)
                    ? "not a checkpoint folder (expected a folder with config.json and model.safetensors)"
                    : "checkpoint folder not found");
        }
        LoopConfig config = LoopConfig.read(dir.resolve(LoopConfig.FILE_NAME));
        List<String> warnings = new ArrayList<>();
        Map<String, float[]> arrays = new LinkedHashMap<>();
        Map<String, WeightMatrix> inPlace = new LinkedHashMap<>();
        SafetensorsShards shards = openWeights(dir, warnings);
        String origin = shards.origin().toString();
        boolean keepOpen = false;
        boolean complete = false;
        try {
            Map<String, int[]> expected = WeightNames.expectedShapes(config);
            for (Map.Entry<String, int[]> e : expected.entrySet()) {
                String name = e.getKey();
                int[] shape = e.getValue();
                SafetensorsFile file = shards.fileOf(name);
                if (mapped && WeightNames.isMatrix(name) && file.info(name).dtype() == DType.BF16) {
                    shapeCheckOnly(file, name, shape);
                    inPlace.put(name, WeightMatrix.bf16(file.segment(name), shape[0], shape[1]));
                    keepOpen = true;
                    continue;
                }
                float[] data = file.read(name, shape).data();
                int bad = countNonFinite(data);
                if (bad > 0) {
                    warnings.add(file.path() + ": tensor '" + name + "' has " + bad + " NaN/Inf values");
                }
                arrays.put(name, data);
            }
            TreeSet<String> extra = new TreeSet<>(shards.names());
            extra.removeAll(expected.keySet());
            if (config.tieWordEmbeddings()) {
                extra.remove(WeightNames.LM_HEAD); // a tied export may still carry the head; it is the embedding
            }
            if (!extra.isEmpty()) {
                warnings.add(origin + ": ignoring " + extra.size() + " tensor(s) the config does not use, e.g. '"
                        + extra.first() + "'");
            }
            complete = true;
        } finally {
            if (!keepOpen || !complete) {
                shards.close(); // a failed load must not leave the files mapped
            }
        }
        LoopWeights weights = WeightNames.fromArrays(config, arrays, inPlace);
        return new LoopModel(config, weights, dir, warnings, keepOpen ? shards : null);
    }

    /**
     * The weight files of a folder: {@code model.safetensors}, or else the shards its
     * {@code model.safetensors.index.json} lists (the order Hugging Face looks them up in).
     */
    private static SafetensorsShards openWeights(Path dir, List<String> warnings) {
        Path single = dir.resolve(WEIGHTS_FILE);
        Path index = dir.resolve(ShardIndex.FILE_NAME);
        if (Files.isRegularFile(single)) {
            if (Files.exists(index)) {
                warnings.add(index + ": ignored, " + WEIGHTS_FILE + " is beside it and takes precedence");
            }
            return SafetensorsShards.single(single);
        }
        if (Files.isRegularFile(index)) {
            return SafetensorsShards.indexed(ShardIndex.read(index));
        }
        throw new InvalidInputException(single.toString(), "file not found (nor a sharded " + ShardIndex.FILE_NAME + ")");
    }

    /**
     * Writes {@code config.json} and {@code model.safetensors} into {@code dir} (created if
     * needed), each atomically, in F32 or BF16.
     */
    public static void save(LoopModel model, Path dir, DType dtype) {
        createFolder(dir);
        Map<String, FloatTensor> tensors = tensors(model);
        SafetensorsWriter.write(dir.resolve(WEIGHTS_FILE), tensors, dtype, Map.of("format", "pt"));
        AtomicFiles.writeString(dir.resolve(LoopConfig.FILE_NAME), model.config().toJsonString() + "\n");
    }

    /**
     * Writes the weights as Hugging Face shards of at most {@code maxShardBytes} each (a tensor
     * larger than that gets a shard of its own) with their {@code model.safetensors.index.json},
     * beside {@code config.json}. A {@code model.safetensors} already in the folder is deleted: the
     * loader prefers it, so leaving it would hide the new shards.
     */
    public static void saveSharded(LoopModel model, Path dir, DType dtype, long maxShardBytes) {
        if (maxShardBytes < 1) {
            throw new InvalidInputException("max shard size", "must be at least 1 byte, got " + maxShardBytes);
        }
        createFolder(dir);
        Map<String, FloatTensor> tensors = tensors(model);
        List<Map<String, FloatTensor>> shards = new ArrayList<>();
        long inShard = 0;
        long total = 0;
        for (Map.Entry<String, FloatTensor> e : tensors.entrySet()) {
            long bytes = (long) e.getValue().size() * dtype.byteSize();
            if (shards.isEmpty() || (inShard > 0 && inShard + bytes > maxShardBytes)) {
                shards.add(new LinkedHashMap<>());
                inShard = 0;
            }
            shards.getLast().put(e.getKey(), e.getValue());
            inShard += bytes;
            total += bytes;
        }
        Map<String, String> weightMap = new LinkedHashMap<>();
        for (int i = 0; i < shards.size(); i++) {
            String name = String.format("model-%05d-of-%05d.safetensors", i + 1, shards.size());
            SafetensorsWriter.write(dir.resolve(name), shards.get(i), dtype, Map.of("format", "pt"));
            shards.get(i).keySet().forEach(t -> weightMap.put(t, name));
        }
        ObjectNode root = JSON.createObjectNode();
        root.putObject("metadata").put("total_size", total);
        ObjectNode map = root.putObject("weight_map");
        weightMap.forEach(map::put);
        AtomicFiles.writeString(dir.resolve(ShardIndex.FILE_NAME), root.toPrettyString() + "\n");
        try {
            Files.deleteIfExists(dir.resolve(WEIGHTS_FILE));
        } catch (java.io.IOException e) {
            throw new InvalidInputException(dir.resolve(WEIGHTS_FILE).toString(), "cannot delete: " + e.getMessage());
        }
        AtomicFiles.writeString(dir.resolve(LoopConfig.FILE_NAME), model.config().toJsonString() + "\n");
    }

    private static void createFolder(Path dir) {
        try {
            Files.createDirectories(dir);
        } catch (java.io.IOException e) {
            throw new InvalidInputException(dir.toString(), "cannot create folder: " + e.getMessage());
        }
    }

    private static Map<String, FloatTensor> tensors(LoopModel model) {
        LoopConfig c = model.config();
        Map<String, FloatTensor> tensors = new LinkedHashMap<>();
        Map<String, int[]> shapes = WeightNames.expectedShapes(c);
        WeightNames.arrays(c, model.weights()).forEach((name, data) ->
                tensors.put(name, new FloatTensor(data, shapes.get(name))));
        return tensors;
    }

    /** Checks a tensor's shape against the config without reading its data. */
    private static void shapeCheckOnly(SafetensorsFile file, String name, int[] shape) {
        long[] actual = file.info(name).shape();
        if (actual.length != shape.length || actual[0] != shape[0] || actual[1] != shape[1]) {
            throw new InvalidInputException(file.path().toString(), "tensor '" + name + "' has shape "
                    + java.util.Arrays.toString(actual) + ", the config needs " + java.util.Arrays.toString(shape));
        }
    }

    private static int countNonFinite(float[] data) {
        int bad = 0;
        for (float v : data) {
            if (!Float.isFinite(v)) {
                bad++;
            }
        }
        return bad;
    }
}
