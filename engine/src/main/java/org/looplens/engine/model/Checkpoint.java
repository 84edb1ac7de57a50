package org.looplens.engine.model;

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
import org.looplens.engine.io.SafetensorsWriter;
import org.looplens.engine.tensor.FloatTensor;
import org.looplens.engine.tensor.WeightMatrix;

/**
 * Checkpoint folders in the Hugging Face layout: {@code config.json} beside
 * {@code model.safetensors}. LoopLens keeps its own files (tokenizer, training state) next to
 * these two and never changes their format, so the official modeling code can load what we write.
 */
public final class Checkpoint {
    public static final String WEIGHTS_FILE = "model.safetensors";

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
        Path weightsFile = dir.resolve(WEIGHTS_FILE);
        if (!Files.isRegularFile(weightsFile)) {
            throw new InvalidInputException(weightsFile.toString(), "file not found");
        }
        List<String> warnings = new ArrayList<>();
        Map<String, float[]> arrays = new LinkedHashMap<>();
        Map<String, WeightMatrix> inPlace = new LinkedHashMap<>();
        SafetensorsFile file = SafetensorsFile.open(weightsFile);
        boolean keepOpen = false;
        boolean complete = false;
        try {
            Map<String, int[]> expected = WeightNames.expectedShapes(config);
            for (Map.Entry<String, int[]> e : expected.entrySet()) {
                String name = e.getKey();
                int[] shape = e.getValue();
                if (mapped && WeightNames.isMatrix(name) && file.contains(name) && file.info(name).dtype() == DType.BF16) {
                    shapeCheckOnly(file, name, shape);
                    inPlace.put(name, WeightMatrix.bf16(file.segment(name), shape[0], shape[1]));
                    keepOpen = true;
                    continue;
                }
                float[] data = file.read(name, shape).data();
                int bad = countNonFinite(data);
                if (bad > 0) {
                    warnings.add(weightsFile + ": tensor '" + name + "' has " + bad + " NaN/Inf values");
                }
                arrays.put(name, data);
            }
            TreeSet<String> extra = new TreeSet<>(file.names());
            extra.removeAll(expected.keySet());
            if (config.tieWordEmbeddings()) {
                extra.remove(WeightNames.LM_HEAD); // a tied export may still carry the head; it is the embedding
            }
            if (!extra.isEmpty()) {
                warnings.add(weightsFile + ": ignoring " + extra.size() + " tensor(s) the config does not use, e.g. '"
                        + extra.first() + "'");
            }
            complete = true;
        } finally {
            if (!keepOpen || !complete) {
                file.close(); // a failed load must not leave the file mapped
            }
        }
        LoopWeights weights = WeightNames.fromArrays(config, arrays, inPlace);
        return new LoopModel(config, weights, dir, warnings, keepOpen ? file : null);
    }

    /**
     * Writes {@code config.json} and {@code model.safetensors} into {@code dir} (created if
     * needed), each atomically, in F32 or BF16.
     */
    public static void save(LoopModel model, Path dir, DType dtype) {
        try {
            Files.createDirectories(dir);
        } catch (java.io.IOException e) {
            throw new InvalidInputException(dir.toString(), "cannot create folder: " + e.getMessage());
        }
        LoopConfig c = model.config();
        Map<String, FloatTensor> tensors = new LinkedHashMap<>();
        Map<String, int[]> shapes = WeightNames.expectedShapes(c);
        WeightNames.arrays(c, model.weights()).forEach((name, data) ->
                tensors.put(name, new FloatTensor(data, shapes.get(name))));
        SafetensorsWriter.write(dir.resolve(WEIGHTS_FILE), tensors, dtype, Map.of("format", "pt"));
        AtomicFiles.writeString(dir.resolve(LoopConfig.FILE_NAME), c.toJsonString() + "\n");
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
