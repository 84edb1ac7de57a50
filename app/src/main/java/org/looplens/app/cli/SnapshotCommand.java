package org.looplens.app.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.looplens.app.inspect.OneLineText;
import org.looplens.app.inspect.OpenCheckpoint;
import org.looplens.app.inspect.PromptInspection;
import org.looplens.app.workbench.Snapshot;
import org.looplens.engine.InvalidInputException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code looplens snapshot}: the real workbench view rendered headless to a PNG. */
@Command(name = "snapshot", mixinStandardHelpOptions = true,
        description = "Render the prompt inspector (alone, or in the whole window) to PNG without a display.")
final class SnapshotCommand implements Callable<Integer> {
    @Option(names = "--view", paramLabel = "VIEW", defaultValue = "inspector",
            description = "inspector (the view alone), window (the workbench with the inspector) or training (the workbench "
                    + "with a run's curves, from --run); default inspector.")
    String view;


    @Mixin
    PromptOptions prompt;

    @Option(names = "--run", paramLabel = "DIR", description = "Training run folder (training).")
    Path run;


    @Option(names = "--width", paramLabel = "PX", defaultValue = "1280", description = "Width in pixels (default 1280).")
    int width;

    @Option(names = "--height", paramLabel = "PX", defaultValue = "760", description = "Height in pixels (default 760).")
    int height;

    @Option(names = "--out", required = true, paramLabel = "FILE.png", description = "Where to write the PNG.")
    Path out;

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter err = spec.commandLine().getErr();
        Snapshot.View v = switch (view) {
            case "inspector" -> Snapshot.View.INSPECTOR;
            case "window" -> Snapshot.View.WINDOW;
            case "training" -> Snapshot.View.TRAINING;
            default -> throw new InvalidInputException("--view", "'" + view + "' is not one of inspector, window, training");
        };
        if (width < 200 || height < 150 || width > 8000 || height > 8000) {
            throw new InvalidInputException("--width/--height", "must lie in 200..8000 × 150..8000, got " + width + " × " + height);
        }
        if (v == Snapshot.View.TRAINING) {
            if (run == null) {
                throw new InvalidInputException("--run", "the training view needs a run folder");
            }
            Snapshot.training(run, width, height, out);
            spec.commandLine().getOut().println("wrote " + out);
            return LoopLensCli.OK;
        }
        OpenCheckpoint open = prompt.open("the " + view + " view", err);
        String shown = prompt.text(open); // a chat is formatted once, for the field and the ids
        int[] ids = PromptInspection.tokens(open, shown, prompt.tokens);
        Snapshot.inspector(v, open, shown != null ? OneLineText.escape(shown) : prompt.tokens, shown == null, ids,
                prompt.settings(open, 5), prompt.quantity(), width, height, out);
        spec.commandLine().getOut().println("wrote " + out);
        return LoopLensCli.OK;
    }
}
