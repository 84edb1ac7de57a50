package org.looplens.app.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.looplens.app.figures.ExitHeatmapFigure;
import org.looplens.app.figures.Figure;
import org.looplens.app.figures.FigureExport;
import org.looplens.app.figures.FigureFormat;
import org.looplens.app.figures.FigureSize;
import org.looplens.app.figures.LambdaFigure;
import org.looplens.app.figures.StepTopKFigure;
import org.looplens.app.figures.TrainingCurvesFigure;
import org.looplens.app.inspect.OpenCheckpoint;
import org.looplens.app.inspect.PromptInspection;
import org.looplens.engine.InvalidInputException;
import org.looplens.engine.kernels.CpuKernels;
import org.looplens.engine.train.MetricsLog;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code looplens figure KIND}: the workbench's charts, headless, as PNG, SVG, PDF, CSV or JSON. */
@Command(name = "figure", mixinStandardHelpOptions = true,
        description = "Draw a figure without the workbench: exit-heatmap, step-topk, lambda (of a prompt) or "
                + "training-curves (of a run folder).")
final class FigureCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "KIND", description = "exit-heatmap, step-topk, lambda or training-curves.")
    String kind;


    @Mixin
    PromptOptions prompt;

    @Option(names = "--run", paramLabel = "DIR", description = "Training run folder (training-curves).")
    Path run;


    @Option(names = "--position", paramLabel = "I", description = "Prompt position for step-topk (default: the last).")
    Integer position;


    @Option(names = "--top-k", paramLabel = "K", defaultValue = "5", description = "Candidates in step-topk (default 5).")
    int topK;

    @Option(names = "--format", paramLabel = "FMT", description = "png, svg, pdf, csv or json (default: from --out).")
    String format;

    @Option(names = "--size", paramLabel = "SIZE", defaultValue = "one-column",
            description = "one-column (3.5 in), two-column (7 in) or screen (default one-column).")
    String size;

    @Option(names = "--dpi", paramLabel = "N", defaultValue = "300", description = "PNG resolution (default 300).")
    int dpi;

    @Option(names = "--out", required = true, paramLabel = "FILE", description = "Where to write the figure.")
    Path out;

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter err = spec.commandLine().getErr();
        FigureFormat fmt = parse("--format", () -> FigureFormat.parse(format != null ? format : extensionOf(out)));
        FigureSize sz = parse("--size", () -> FigureSize.parse(size));
        if (dpi < 36 || dpi > 1200) {
            throw new InvalidInputException("--dpi", "must lie in 36..1200, got " + dpi);
        }
        Figure figure = kind.equals("training-curves") ? trainingCurves() : promptFigure(err);
        FigureExport.write(figure, fmt, sz, dpi, out);
        spec.commandLine().getOut().println("wrote " + figure.kind() + " to " + out);
        return LoopLensCli.OK;
    }

    private Figure trainingCurves() {
        if (run == null) {
            throw new InvalidInputException("--run", "training-curves needs the run folder");
        }
        return parse("--run", () -> TrainingCurvesFigure.of(MetricsLog.read(run)));
    }

    private Figure promptFigure(PrintWriter err) {
        if (!kind.equals("exit-heatmap") && !kind.equals("step-topk") && !kind.equals("lambda")) {
            throw new InvalidInputException("KIND", "'" + kind + "' is not one of exit-heatmap, step-topk, lambda, training-curves");
        }
        OpenCheckpoint open = prompt.open(kind, err);
        int[] ids = prompt.tokens(open);
        PromptInspection inspection = PromptInspection.run(open, ids, prompt.settings(open, topK), CpuKernels.shared());
        return switch (kind) {
            case "exit-heatmap" -> ExitHeatmapFigure.of(inspection.lens(), prompt.quantity(), inspection.tokenLabels());
            case "step-topk" -> parse("--position", () -> StepTopKFigure.of(inspection.lens(),
                    position == null ? ids.length - 1 : position, open::tokenText));
            default -> LambdaFigure.of(inspection.lens(), inspection.tokenLabels());
        };
    }

    private static String extensionOf(Path file) {
        String name = file.getFileName().toString();
        int dot = name.lastIndexOf('.');
        if (dot < 0) {
            throw new IllegalArgumentException("give --format, or an --out file ending in .png, .svg, .pdf, .csv or .json");
        }
        return name.substring(dot + 1).toLowerCase(Locale.ROOT);
    }

    /** Turns a bad value's IllegalArgumentException into a bad-input error naming the option. */
    private static <T> T parse(String option, java.util.function.Supplier<T> parser) {
        try {
            return parser.get();
        } catch (InvalidInputException e) {
            throw e;
        } catch (IllegalArgumentException e) {
            throw new InvalidInputException(option, e.getMessage());
        }
    }
}
