package org.looplens.app.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.looplens.analyses.lens.LensQuantity;
import org.looplens.app.inspect.InspectSettings;
import org.looplens.app.inspect.OpenCheckpoint;
import org.looplens.app.inspect.PromptInspection;
import org.looplens.app.workbench.Snapshot;
import org.looplens.engine.InvalidInputException;
import picocli.CommandLine.Command;
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

    @Option(names = {"-c", "--checkpoint"}, paramLabel = "DIR", description = "Checkpoint folder (inspector, window).")
    Path checkpoint;

    @Option(names = "--run", paramLabel = "DIR", description = "Training run folder (training).")
    Path run;

    @Option(names = "--text", paramLabel = "STR", description = "Prompt text.")
    String text;

    @Option(names = "--tokens", paramLabel = "IDS", description = "Prompt as comma-separated token ids.")
    String tokens;

    @Option(names = "--steps", paramLabel = "T", description = "Loop steps (default: the trained T).")
    Integer steps;

    @Option(names = "--exit", paramLabel = "POLICY", description = "Exit policy: last, mixture, step=K or q=X (default last).")
    String exit;

    @Option(names = "--quantity", paramLabel = "Q", defaultValue = "top1-prob", description = "Heatmap quantity (default top1-prob).")
    String quantity;

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
        if (steps != null && steps < 1) {
            throw new InvalidInputException("--steps", "must be at least 1, got " + steps);
        }
        if (v == Snapshot.View.TRAINING) {
            if (run == null) {
                throw new InvalidInputException("--run", "the training view needs a run folder");
            }
            Snapshot.training(run, width, height, out);
            spec.commandLine().getOut().println("wrote " + out);
            return LoopLensCli.OK;
        }
        if (checkpoint == null) {
            throw new InvalidInputException("--checkpoint", "the " + view + " view needs a checkpoint and a prompt");
        }
        LensQuantity q;
        try {
            q = LensQuantity.parse(quantity);
        } catch (IllegalArgumentException e) {
            throw new InvalidInputException("--quantity", e.getMessage());
        }
        OpenCheckpoint open = OpenCheckpoint.open(checkpoint);
        open.warnings().forEach(w -> err.println("warning: " + w));
        int[] ids = PromptInspection.tokens(open, text, tokens);
        InspectSettings settings = new InspectSettings(steps == null ? 0 : steps,
                ExitPolicies.parse(exit == null ? "last" : exit, open.model().config().earlyExitThreshold()), 5);
        Snapshot.inspector(v, open, text != null ? text : tokens, text == null, ids, settings, q, width, height, out);
        spec.commandLine().getOut().println("wrote " + out);
        return LoopLensCli.OK;
    }
}
