package org.looplens.app.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import org.looplens.app.inspect.OpenCheckpoint;
import org.looplens.engine.model.Checkpoint;
import org.looplens.engine.model.LoopModel;
import picocli.CommandLine.Option;

/** The {@code --checkpoint DIR} option shared by commands that load a model. */
final class CheckpointOption {
    @Option(names = {"-c", "--checkpoint"}, required = true, paramLabel = "DIR",
            description = "Checkpoint folder (config.json + model.safetensors).")
    Path dir;

    /** Opens the checkpoint with its tokenizer and prints its load-time warnings. */
    OpenCheckpoint open(PrintWriter err) {
        return open(dir, err);
    }

    /** The checkpoint from an analysis's opener (the workbench passes the one it has open). */
    OpenCheckpoint open(CheckpointOpener opener) {
        if (dir == null) {
            throw new org.looplens.engine.InvalidInputException("--checkpoint", "name the checkpoint folder");
        }
        return opener.open(dir);
    }

    static OpenCheckpoint open(Path dir, PrintWriter err) {
        OpenCheckpoint open = OpenCheckpoint.open(dir);
        open.warnings().forEach(w -> err.println("warning: " + w));
        return open;
    }

    /** Loads the model and prints its load-time warnings (NaN weights, unused tensors). */
    LoopModel load(PrintWriter err) {
        LoopModel model = Checkpoint.load(dir);
        model.warnings().forEach(w -> err.println("warning: " + w));
        return model;
    }
}
