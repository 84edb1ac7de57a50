package org.looplens.app.cli;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import org.looplens.analyses.NpyWriter;
import org.looplens.analyses.exit.Question;
import org.looplens.analyses.trajectory.LatentTrajectories;
import org.looplens.analyses.trajectory.TracedPositions;
import org.looplens.analyses.trajectory.TracedToken;
import org.looplens.app.figures.Figure;
import org.looplens.app.figures.StepChangeFigure;
import org.looplens.app.figures.TrajectoryFigure;
import org.looplens.app.inspect.OpenCheckpoint;
import org.looplens.app.inspect.PromptInspection;
import org.looplens.engine.InvalidInputException;
import org.looplens.engine.kernels.CpuKernels;
import org.looplens.engine.run.InputCheck;
import org.looplens.engine.trace.SiteKind;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code looplens analyze trajectories}: the latent state's path through the loop steps, in PCA coordinates. */
@Command(name = "trajectories", mixinStandardHelpOptions = true,
        description = "The hidden state of chosen tokens at every loop step (up to twice the trained T): its path in "
                + "the principal components of all step states, and how far it moves per step, with whether the "
                + "movement dies down past the trained T (converging) or not (drifting).")
final class TrajectoriesCommand extends AnalysisCommand {
    @Mixin
    CheckpointOption checkpoint;

    @Option(names = "--text", paramLabel = "STR", description = "One prompt as text, encoded with the checkpoint's tokenizer.")
    String text;

    @Option(names = "--tokens", paramLabel = "IDS", description = "One prompt as comma-separated token ids.")
    String tokens;

    @Mixin
    QuestionOptions source;

    @Option(names = "--steps", paramLabel = "T", description = "Loop steps, 1 to twice the trained T (default: twice).")
    Integer steps;

    @Option(names = "--positions", paramLabel = "WHICH", defaultValue = "last",
            description = "Positions traced: last (where the answer is read) or all (default last).")
    String positions;

    @Option(names = "--components", paramLabel = "K", defaultValue = "3", description = "Principal components (default 3).")
    int components;

    @Option(names = "--state", paramLabel = "SITE", defaultValue = "hidden",
            description = "hidden (after the final norm: what the head reads) or prenorm (default hidden).")
    String state;

    @Option(names = "--figure", paramLabel = "KIND", defaultValue = "paths",
            description = "Figure drawn for .png/.svg/.pdf: paths (PC1 against PC2) or change (relative change per "
                    + "step); .csv holds that figure's numbers (default paths).")
    String figure;

    @Override
    AnalysisResult analyse(CheckpointOpener opener) {
        boolean onePrompt = text != null || tokens != null;
        boolean questions = source.spec != null || source.prompts != null;
        if (onePrompt && questions) {
            throw new InvalidInputException("--text/--tokens/--spec/--prompts",
                    "give one prompt or one source of questions, not both (none: the checkpoint's own task)");
        }
        TracedPositions traced = parse("--positions", () -> TracedPositions.parse(positions));
        SiteKind kind = switch (state) {
            case "hidden" -> SiteKind.STEP_HIDDEN;
            case "prenorm" -> SiteKind.STEP_PRENORM;
            default -> throw new InvalidInputException("--state", "'" + state + "' is not hidden or prenorm");
        };
        if (!figure.equals("paths") && !figure.equals("change")) {
            throw new InvalidInputException("--figure", "'" + figure + "' is not paths or change");
        }
        OpenCheckpoint open = checkpoint.open(opener);
        int trained = open.model().config().totalUtSteps();
        int t = steps == null ? 2 * trained : steps;
        if (t < 1 || t > 2 * trained) {
            throw new InvalidInputException("--steps", "must lie in 1.." + 2 * trained + " (up to twice the trained T), got " + t);
        }
        List<int[]> prompts = new ArrayList<>();
        Function<TracedToken, String> label;
        if (onePrompt) {
            int[] ids = PromptInspection.tokens(open, text, tokens);
            InputCheck.tokens(open.model().config(), ids, 0, text != null ? "--text" : "--tokens");
            prompts.add(ids);
            label = tok -> tok.position() + " " + open.tokenText(tok.token());
        } else {
            List<Question> list = source.load(open);
            list.forEach(q -> prompts.add(q.prompt()));
            label = tok -> "#" + tok.prompt() + " (difficulty " + list.get(tok.prompt()).difficulty() + ")";
        }
        int states = t * (traced == TracedPositions.LAST ? prompts.size() : prompts.stream().mapToInt(p -> p.length).sum());
        if (states < 2) {
            throw new InvalidInputException("--steps", "one state of one token has no path; run at least 2 steps or trace more tokens");
        }
        int maxK = Math.min(states, open.model().config().hiddenSize());
        if (components < 1 || components > maxK) {
            throw new InvalidInputException("--components", "must lie in 1.." + maxK + " here, got " + components);
        }
        LatentTrajectories tr = LatentTrajectories.trace(open.model(), CpuKernels.shared(), prompts, t, kind, traced,
                components);
        Figure drawn = figure.equals("paths") ? TrajectoryFigure.of(tr, label) : StepChangeFigure.of(tr);
        return new AnalysisResult(drawn, arrays(tr), String.format(Locale.ROOT,
                "%d tokens traced over %d steps (trained %d); explained variance %s%nmean relative change per step 2..%d: %s; %s",
                tr.traced().size(), t, trained, format(tr.explainedRatio()), t,
                format(tr.changes().meanRelativeChange()), tr.changes().convergence().key()));
    }

    private static Map<String, byte[]> arrays(LatentTrajectories tr) {
        Map<String, byte[]> m = new LinkedHashMap<>();
        m.put("path", NpyWriter.npy(tr.path()));
        m.put("explained_ratio", NpyWriter.npy(tr.explainedRatio()));
        m.put("components", NpyWriter.npy(tr.pca().components()));
        m.put("mean", NpyWriter.npy(tr.pca().mean()));
        m.put("prompt", NpyWriter.npy(tr.traced().stream().mapToDouble(TracedToken::prompt).toArray()));
        m.put("position", NpyWriter.npy(tr.traced().stream().mapToDouble(TracedToken::position).toArray()));
        m.put("token", NpyWriter.npy(tr.traced().stream().mapToDouble(TracedToken::token).toArray()));
        m.put("step_distance", NpyWriter.npy(tr.changes().stepDistance()));
        m.put("relative_change", NpyWriter.npy(tr.changes().relativeChange()));
        m.put("cosine", NpyWriter.npy(tr.changes().cosine()));
        m.put("distance_to_last", NpyWriter.npy(tr.changes().distanceToLast()));
        m.put("mean_relative_change", NpyWriter.npy(tr.changes().meanRelativeChange()));
        return m;
    }

    private static String format(double[] values) {
        StringBuilder sb = new StringBuilder("[");
        for (int i = 0; i < values.length; i++) {
            sb.append(i == 0 ? "" : ", ").append(String.format(Locale.ROOT, "%.4f", values[i]));
        }
        return sb.append(']').toString();
    }

    private static <T> T parse(String field, java.util.function.Supplier<T> parser) {
        try {
            return parser.get();
        } catch (IllegalArgumentException e) {
            throw new InvalidInputException(field, e.getMessage());
        }
    }
}
