package org.looplens.app.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.looplens.analyses.NpyWriter;
import org.looplens.analyses.patching.ActivationPatching;
import org.looplens.analyses.patching.AveragedPatchingMap;
import org.looplens.analyses.patching.LogitDifference;
import org.looplens.analyses.patching.PatchDirection;
import org.looplens.analyses.patching.PatchingMap;
import org.looplens.analyses.patching.PatchingOverPrompts;
import org.looplens.analyses.patching.PromptPair;
import org.looplens.analyses.patching.StepPositionMap;
import org.looplens.analyses.patching.SweepCost;
import org.looplens.analyses.prompts.PromptSet;
import org.looplens.app.figures.AveragedPatchingMapFigure;
import org.looplens.app.figures.PatchingMapFigure;
import org.looplens.app.figures.StepPositionMapFigure;
import org.looplens.app.inspect.OpenCheckpoint;
import org.looplens.app.inspect.PromptInspection;
import org.looplens.engine.InvalidInputException;
import org.looplens.engine.kernels.CpuKernels;
import org.looplens.engine.run.RunOptions;
import org.looplens.engine.trace.SiteKind;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code looplens analyze patching}: a step × layer or step × position activation-patching map
 * between two inputs, or the step × layer map averaged over a prompt set's pairs with bootstrap
 * intervals. Every patched run resumes the receiving input at its site (prefix reuse).
 */
@Command(name = "patching", mixinStandardHelpOptions = true,
        description = "Patch one site kind at every (step, layer) or (step, position) between a clean and a corrupted"
                + " input of the same length, and measure logit(target) − logit(distractor); or average the step × layer"
                + " map over the counterfactual pairs of a prompt set, with bootstrap confidence intervals.")
final class PatchingCommand extends AnalysisCommand {
    @Mixin
    CheckpointOption checkpoint;

    @Option(names = "--clean", paramLabel = "STR", description = "Clean input text.")
    String clean;

    @Option(names = "--corrupt", paramLabel = "STR", description = "Corrupted input text (same token count).")
    String corrupt;

    @Option(names = "--clean-tokens", paramLabel = "IDS", description = "Clean input as token ids.")
    String cleanTokens;

    @Option(names = "--corrupt-tokens", paramLabel = "IDS", description = "Corrupted input as token ids.")
    String corruptTokens;

    @Option(names = "--target", paramLabel = "TOKEN", description = "The clean answer: an id or a token's text.")
    String target;

    @Option(names = "--distractor", paramLabel = "TOKEN", description = "The corrupted answer: an id or a token's text.")
    String distractor;

    @Option(names = "--prompts", paramLabel = "FILE.jsonl",
            description = "Average the step × layer map over this prompt set's pairs (each line with a counterfactual"
                    + " and counterfactual_label; see 'analyze prompts --counterfactual'), with bootstrap intervals.")
    Path prompts;

    @Option(names = "--pairs", paramLabel = "N", description = "Use the first N pairs of --prompts (default: all).")
    Integer pairs;

    @Option(names = "--bootstrap", paramLabel = "B", defaultValue = "1000",
            description = "Bootstrap resamples of the pairs (default 1000).")
    int bootstrap;

    @Option(names = "--confidence", paramLabel = "C", defaultValue = "0.95", description = "Interval level (default 0.95).")
    double confidence;

    @Option(names = "--seed", paramLabel = "S", defaultValue = "0", description = "Bootstrap seed (default 0).")
    long seed;

    @Option(names = "--map", paramLabel = "MAP", defaultValue = "step-layer",
            description = "step-layer (the site kind at every layer) or step-position (one site, one position at a time);"
                    + " default step-layer.")
    String mapKind;

    @Option(names = "--layer", paramLabel = "L", description = "Layer of the site for --map step-position (per-layer kinds).")
    Integer layer;

    @Option(names = "--site", paramLabel = "KIND", defaultValue = "layer_out",
            description = "Site kind patched: attn_in, q, k, v, attn_out, mid, mlp_in, mlp_out, layer_out; with --map"
                    + " step-position also step_hidden, step_prenorm (default layer_out).")
    String site;

    @Option(names = "--patch-positions", paramLabel = "I,J", description = "Positions patched in a step × layer map (default: all).")
    String patchPositions;

    @Option(names = "--position", paramLabel = "I", description = "Position whose output is measured (default: the last).")
    Integer position;

    @Option(names = "--direction", paramLabel = "DIR", defaultValue = "denoise",
            description = "denoise (clean activation into the corrupted run) or noise (the reverse); default denoise.")
    String direction;

    @Option(names = "--no-prefix-reuse", description = "Run every patched input from scratch (to measure what reuse saves).")
    boolean noPrefixReuse;

    @Override
    AnalysisResult analyse(CheckpointOpener opener) {
        SiteKind kind = parseSite(site);
        PatchDirection dir = switch (direction) {
            case "denoise" -> PatchDirection.DENOISE;
            case "noise" -> PatchDirection.NOISE;
            default -> throw new InvalidInputException("--direction", "'" + direction + "' is not denoise or noise");
        };
        boolean byPosition = switch (mapKind) {
            case "step-layer" -> false;
            case "step-position" -> true;
            default -> throw new InvalidInputException("--map", "'" + mapKind + "' is not step-layer or step-position");
        };
        OpenCheckpoint open = checkpoint.open(opener);
        try {
            if (prompts != null) {
                return averaged(open, kind, dir, byPosition);
            }
            int[] a = input(open, clean, cleanTokens, "--clean", "--clean-tokens");
            int[] b = input(open, corrupt, corruptTokens, "--corrupt", "--corrupt-tokens");
            if (a.length != b.length) {
                throw new InvalidInputException("--corrupt", "has " + b.length + " tokens, the clean input " + a.length
                        + ": patching pairs positions one to one");
            }
            LogitDifference metric = metric(open, a.length, position, target, distractor);
            if (byPosition) {
                boolean perLayer = kind.scope() == SiteKind.Scope.LAYER;
                if (perLayer && layer == null) {
                    throw new InvalidInputException("--layer", "a step × position map of " + site + " needs the layer");
                }
                StepPositionMap map = ActivationPatching.stepByPosition(open.model(), CpuKernels.shared(), a, b, kind,
                        perLayer ? layer : 0, metric, dir, RunOptions.defaults(), !noPrefixReuse);
                return new AnalysisResult(StepPositionMapFigure.of(map), Map.of("effect", NpyWriter.npy(map.effect()),
                        "logit_diff", NpyWriter.npy(map.logitDiff()),
                        "clean_corrupt", NpyWriter.npy(new double[] {map.cleanDiff(), map.corruptDiff()})),
                        report(String.format(Locale.ROOT, "patched %s at %d steps × %d positions", label(kind, layer),
                                map.steps(), map.positions()), map.cost(), map.cleanDiff(), map.corruptDiff()));
            }
            int[] positions = patchPositions == null ? null : org.looplens.app.inspect.TokenIds.parse(patchPositions);
            PatchingMap map = ActivationPatching.stepByLayer(open.model(), CpuKernels.shared(), a, b, kind, positions,
                    metric, dir, RunOptions.defaults(), !noPrefixReuse);
            return new AnalysisResult(PatchingMapFigure.of(map), Map.of(
                    "effect", NpyWriter.npy(map.effect()),
                    "logit_diff", NpyWriter.npy(map.logitDiff()),
                    "clean_corrupt", NpyWriter.npy(new double[] {map.cleanDiff(), map.corruptDiff()})),
                    report(String.format(Locale.ROOT, "patched %s at %d steps × %d layers", label(kind, null), map.steps(),
                            map.layers()), map.cost(), map.cleanDiff(), map.corruptDiff()));
        } catch (IllegalArgumentException e) {
            throw new InvalidInputException("patching", e.getMessage());
        }
    }

    private AnalysisResult averaged(OpenCheckpoint open, SiteKind kind, PatchDirection dir, boolean byPosition) {
        if (byPosition) {
            throw new InvalidInputException("--map", "maps over a prompt set are step-layer (positions differ by prompt)");
        }
        if (clean != null || corrupt != null || cleanTokens != null || corruptTokens != null || target != null
                || distractor != null) {
            throw new InvalidInputException("--prompts", "takes the inputs and answers from the file; leave out"
                    + " --clean, --corrupt, --target and --distractor");
        }
        if (bootstrap < 1 || bootstrap > 1_000_000) {
            throw new InvalidInputException("--bootstrap", "must lie in 1..1000000, got " + bootstrap);
        }
        if (!(confidence > 0 && confidence < 1)) {
            throw new InvalidInputException("--confidence", "must lie in (0, 1), got " + confidence);
        }
        List<PromptSet.Prompt> set = PromptSet.read(prompts, text -> PromptInspection.tokens(open, text, null));
        if (pairs != null && (pairs < 1 || pairs > set.size())) {
            throw new InvalidInputException("--pairs", "must lie in 1.." + set.size() + ", got " + pairs);
        }
        List<PromptPair> list = new ArrayList<>();
        for (int i = 0; i < (pairs == null ? set.size() : pairs); i++) {
            PromptSet.Prompt p = set.get(i);
            if (p.counterfactual() == null || p.counterfactualLabel() < 0) {
                throw new InvalidInputException(prompts + ":" + (i + 1), "needs a counterfactual and a counterfactual_label");
            }
            if (p.counterfactual().length != p.tokens().length) {
                throw new InvalidInputException(prompts + ":" + (i + 1), "the counterfactual has "
                        + p.counterfactual().length + " tokens, the prompt " + p.tokens().length);
            }
            int at = position == null ? p.tokens().length - 1 : position;
            list.add(new PromptPair(p.tokens(), p.counterfactual(), new LogitDifference(at, p.label(), p.counterfactualLabel())));
        }
        AveragedPatchingMap map = PatchingOverPrompts.stepByLayer(open.model(), CpuKernels.shared(), list, kind, dir,
                RunOptions.defaults(), !noPrefixReuse, bootstrap, seed, confidence);
        return new AnalysisResult(AveragedPatchingMapFigure.of(map), Map.of("mean_effect", NpyWriter.npy(map.mean()),
                "ci_lo", NpyWriter.npy(map.lo()), "ci_hi", NpyWriter.npy(map.hi())),
                report(String.format(Locale.ROOT, "patched %s at %d steps × %d layers over %d pairs (%d skipped), %d%% intervals",
                        label(kind, null), map.steps(), map.layers(), map.pairs(), map.skipped(),
                        Math.round(confidence * 100)), map.cost(), map.cleanDiff(), map.corruptDiff()));
    }

    private static String report(String what, SweepCost cost, double cleanDiff, double corruptDiff) {
        return String.format(Locale.ROOT, "%s (%d runs, %.1f s; %d of %d layer applications, %.0f%% saved by"
                + " prefix reuse): clean %.3f, corrupt %.3f", what, cost.runs(), cost.seconds(),
                cost.layerEvaluations(), cost.scratchLayerEvaluations(), 100 * cost.saving(), cleanDiff, corruptDiff);
    }

    private static String label(SiteKind kind, Integer layer) {
        return kind.name().toLowerCase(Locale.ROOT) + (kind.scope() == SiteKind.Scope.LAYER && layer != null
                ? " of layer " + layer : "");
    }

    /** logit(target) − logit(distractor) at a position (default the last) of an input of this length. */
    static LogitDifference metric(OpenCheckpoint open, int length, Integer position, String target, String distractor) {
        if (target == null || distractor == null) {
            throw new InvalidInputException(target == null ? "--target" : "--distractor",
                    "needed: the metric is logit(target) − logit(distractor)");
        }
        int at = position == null ? length - 1 : position;
        if (at < 0 || at >= length) {
            throw new InvalidInputException("--position", at + " is outside the input's 0.." + (length - 1));
        }
        return new LogitDifference(at, open.token(target, "--target"), open.token(distractor, "--distractor"));
    }

    static SiteKind parseSite(String name) {
        try {
            return SiteKind.valueOf(name.toUpperCase(Locale.ROOT).replace('-', '_'));
        } catch (IllegalArgumentException e) {
            throw new InvalidInputException("--site", "'" + name + "' is not a site kind");
        }
    }

    static int[] input(OpenCheckpoint open, String text, String ids, String option, String idsOption) {
        if ((text == null) == (ids == null)) {
            throw new InvalidInputException(option, "give the text or the " + idsOption + ", exactly one");
        }
        return PromptInspection.tokens(open, text, ids);
    }

}
