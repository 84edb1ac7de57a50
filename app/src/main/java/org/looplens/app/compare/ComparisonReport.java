package org.looplens.app.compare;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.TreeSet;
import org.looplens.app.figures.AccuracyByDifficultyFigure;
import org.looplens.app.figures.AccuracyComputeFigure;
import org.looplens.app.figures.FaithfulnessFigure;
import org.looplens.app.figures.Figure;
import org.looplens.app.figures.FigureExport;
import org.looplens.app.figures.FigureFormat;
import org.looplens.app.figures.FigureSize;
import org.looplens.engine.InvalidInputException;
import org.looplens.engine.io.AtomicFiles;

/**
 * Writes a comparison's {@code results.json} (every number), {@code report.md} (the same numbers
 * rounded, in tables, with the figures embedded as PNG) and the figures as PNG, SVG and PDF under
 * {@code figures/}. Every file is written atomically. The number formats live here, in
 * {@link #accuracy}, {@link #flops} and {@link #millis}, so a test can read the tables back.
 */
public final class ComparisonReport {
    public static final String REPORT = "report.md";
    public static final String RESULTS = "results.json";
    public static final String FIGURES = "figures";
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private ComparisonReport() {}

    public static void write(Path dir, ComparisonResult r) {
        try {
            Files.createDirectories(dir.resolve(FIGURES));
            AtomicFiles.writeString(dir.resolve(RESULTS), JSON.writeValueAsString(r) + "\n");
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        } catch (IOException e) {
            throw new InvalidInputException(dir.toString(), "cannot create the figures folder: " + e.getMessage());
        }
        figures(r).forEach(f -> figure(dir, f));
        AtomicFiles.writeString(dir.resolve(REPORT), markdown(r));
    }

    /** Reads back the results.json a comparison wrote into {@code dir}, e.g. to show it in the workbench. */
    public static ComparisonResult read(Path dir) {
        Path file = dir.resolve(RESULTS);
        if (!Files.isRegularFile(file)) {
            throw new InvalidInputException(dir.toString(), "no " + RESULTS + " here: not the output folder of looplens compare");
        }
        try {
            return JSON.readValue(file.toFile(), ComparisonResult.class);
        } catch (com.fasterxml.jackson.databind.JsonMappingException e) {
            StringBuilder field = new StringBuilder();
            for (var ref : e.getPath()) {
                field.append(ref.getFieldName() != null ? (field.isEmpty() ? "" : ".") + ref.getFieldName()
                        : "[" + ref.getIndex() + "]");
            }
            throw new InvalidInputException(file.toString(), "field '" + field + "' is missing or has the wrong type ("
                    + e.getOriginalMessage().lines().findFirst().orElse("") + ")");
        } catch (IOException e) {
            throw new InvalidInputException(file.toString(), "cannot read: " + e.getMessage());
        }
    }

    /** The comparison's figures, in report order. */
    public static List<Figure> figures(ComparisonResult r) {
        List<Figure> out = new java.util.ArrayList<>(List.of(AccuracyComputeFigure.of(r), AccuracyByDifficultyFigure.of(r)));
        if (!r.faithfulness().isEmpty()) {
            out.add(FaithfulnessFigure.of(r.faithfulness()));
        }
        return List.copyOf(out);
    }

    private static void figure(Path dir, Figure f) {
        for (FigureFormat format : List.of(FigureFormat.PNG, FigureFormat.SVG, FigureFormat.PDF, FigureFormat.CSV)) {
            FigureExport.write(f, format, FigureSize.TWO_COLUMN, 150,
                    dir.resolve(FIGURES).resolve(f.kind() + "." + format.extension()));
        }
    }

    static String accuracy(double v) {
        return String.format(Locale.ROOT, "%.3f", v);
    }

    static String flops(double v) {
        return String.format(Locale.ROOT, "%.4e", v);
    }

    static String millis(double seconds) {
        return String.format(Locale.ROOT, "%.3f", seconds * 1e3);
    }

    static String markdown(ComparisonResult r) {
        StringBuilder md = new StringBuilder();
        md.append("# Loop depth versus chain of thought: ").append(r.name()).append("\n\n");
        md.append("Task: `").append(r.task()).append("`");
        if (r.trainedUpTo() != null) {
            boolean beyond = r.members().stream().flatMap(m -> m.byDifficulty().stream())
                    .anyMatch(DifficultyAccuracy::beyondTraining);
            md.append("; training saw difficulties up to ").append(r.trainedUpTo()).append(beyond
                    ? ", and held-out difficulties beyond that are marked †" : ", and every held-out difficulty lies inside that range");
        }
        md.append(". All accuracies are exact-match on the held-out TEST split (questions never seen in training).\n\n");

        md.append("## Members\n\n");
        md.append("| member | kind | loop steps | layers | parameters | FLOPs/question | ms/question | prompt tokens "
                + "| generated tokens | accuracy | questions | checkpoint |\n");
        md.append("|---|---|---|---|---|---|---|---|---|---|---|---|\n");
        for (MemberResult m : r.members()) {
            md.append(String.format(Locale.ROOT, "| %s | %s | %d | %d | %d | %s | %s | %.2f | %.2f | %s | %d | %s (%s) |%n",
                    m.name(), m.kind(), m.loops(), m.layers(), m.parameters(), flops(m.flopsPerQuestion()),
                    millis(m.secondsPerQuestion()), m.promptTokens(), m.generatedTokens(), accuracy(m.accuracy()),
                    m.questions(), "`" + m.checkpoint() + "`", m.provenance()));
        }

        md.append("\n## Accuracy by difficulty\n\n");
        TreeSet<Integer> difficulties = new TreeSet<>();
        r.members().forEach(m -> m.byDifficulty().forEach(d -> difficulties.add(d.difficulty())));
        md.append("| member |");
        for (int d : difficulties) {
            md.append(' ').append(d).append(r.trainedUpTo() != null && d > r.trainedUpTo() ? "†" : "").append(" |");
        }
        md.append("\n|---|").append("---|".repeat(difficulties.size())).append('\n');
        for (MemberResult m : r.members()) {
            md.append("| ").append(m.name()).append(" |");
            for (int d : difficulties) {
                String cell = m.byDifficulty().stream().filter(x -> x.difficulty() == d).findFirst()
                        .map(x -> accuracy(x.accuracy()) + " (n=" + x.questions() + ")").orElse("–");
                md.append(' ').append(cell).append(" |");
            }
            md.append('\n');
        }
        md.append("\n![Accuracy by difficulty](figures/accuracy-by-difficulty.png)\n\n");
        md.append("Also as [SVG](figures/accuracy-by-difficulty.svg), [PDF](figures/accuracy-by-difficulty.pdf) and "
                + "[CSV](figures/accuracy-by-difficulty.csv).\n\n");

        md.append("## Accuracy against compute\n\n");
        md.append("One point per model; each LoopLM's Q-exit sweep is its own curve (mean loop steps used, priced "
                + "by the cost model: exact between whole steps for one prompt length, approximate across lengths).\n\n");
        md.append("![Accuracy against compute](figures/accuracy-compute.png)\n\n");
        md.append("Also as [SVG](figures/accuracy-compute.svg), [PDF](figures/accuracy-compute.pdf) and "
                + "[CSV](figures/accuracy-compute.csv).\n\n");
        for (MemberResult m : r.members()) {
            ExitCurve e = m.exitSweep();
            if (e == null) {
                continue;
            }
            md.append("### Q-exit sweep of ").append(m.name()).append("\n\n");
            md.append("| q | accuracy | mean loop steps | FLOPs/question |\n|---|---|---|---|\n");
            for (int i = 0; i < e.q().length; i++) {
                md.append(String.format(Locale.ROOT, "| %.2f | %s | %.3f | %s |%n", e.q()[i], accuracy(e.accuracy()[i]),
                        e.meanDepth()[i], flops(e.flopsPerQuestion()[i])));
            }
            md.append('\n');
        }

        md.append("## Faithfulness\n\n");
        if (r.faithfulness().isEmpty()) {
            md.append("Not run: no faithfulness suite is wired into this build "
                    + "(`org.looplens.app.compare.FaithfulnessSuite`).\n\n");
        } else {
            md.append("Suite: ").append(r.faithfulnessSuite()).append(".\n\n");
            md.append("Each curve: the measured share at each fraction of the reasoning kept (CoT tokens, loop steps), with its "
                    + "95% bootstrap interval over questions.\n\n");
            md.append("| model | test | questions | fraction: value [95% interval] | area over curve |\n|---|---|---|---|---|\n");
            for (FaithfulnessCurveRow c : r.faithfulness()) {
                StringBuilder points = new StringBuilder();
                for (int i = 0; i < c.fraction().length; i++) {
                    points.append(i == 0 ? "" : "; ").append(String.format(Locale.ROOT, "%.2f: %s [%s, %s]", c.fraction()[i],
                            accuracy(c.value()[i]), accuracy(c.lo()[i]), accuracy(c.hi()[i])));
                }
                md.append(String.format(Locale.ROOT, "| %s | %s | %d | %s | %s |%n", c.model(), c.test(), c.questions(),
                        points, accuracy(c.areaOverCurve())));
            }
            md.append("\n![Faithfulness](figures/faithfulness.png)\n\n");
        }

        md.append("## How the numbers were measured\n\n");
        md.append("- FLOPs: ").append(r.costModel()).append(".\n");
        md.append("- Wall time: ").append(r.timing()).append(".\n");
        md.append("- The cot member's answers are generated greedily after its own chain of thought; the others "
                + "answer right after the question.\n");
        md.append("- Every number here is in `results.json` unrounded.\n");
        return md.toString();
    }
}
