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

/**
 * Checkpoint folders in the Hugging Face layout: {@code config.json} beside
 * {@code model.safetensors}. LoopLens keeps its own files (tokenizer, training state) next to
 * these two and never changes their format, so the official modeling code can load what we write.
 */
public final class Checkpoint {
    public static final String WEIGHTS_FILE = "model.safetensors";

    private Checkpoint() {}

    /** Loads and checks a checkpoint folder. */
    public static LoopModel load(Path dir) {
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
        try (SafetensorsFile file = SafetensorsFile.open(weightsFile)) {
            Map<String, int[]> expected = WeightNames.expectedShapes(config);
            for (Map.Entry<String, int[]> e : expected.entrySet()) {
                float[] data = file.read(e.getKey(), e.getValue()).data();
                int bad = countNonFinite(data);
                if (bad > 0) {
                    warnings.add(weightsFile + ": tensor '" + e.getKey() + "' has " + bad + " NaN/Inf values");
                }
                arrays.put(e.getKey(), data);
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
        }
        return new LoopModel(config, WeightNames.fromArrays(config, arrays), dir, warnings);
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
