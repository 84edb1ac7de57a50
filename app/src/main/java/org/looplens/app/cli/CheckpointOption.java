package org.looplens.app.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import org.looplens.engine.model.Checkpoint;
import org.looplens.engine.model.LoopModel;
import picocli.CommandLine.Option;

/** The {@code --checkpoint DIR} option shared by commands that load a model. */
final class CheckpointOption {
    @Option(names = {"-c", "--checkpoint"}, required = true, paramLabel = "DIR",
            description = "Checkpoint folder (config.json + model.safetensors).")
    Path dir;

    /** Loads the model and prints its load-time warnings (NaN weights, unused tensors). */
    LoopModel load(PrintWriter err) {
        LoopModel model = Checkpoint.load(dir);
        model.warnings().forEach(w -> err.println("warning: " + w));
        return model;
    }
}
