package org.looplens.app.cli;

import java.util.Locale;
import java.util.Map;
import org.looplens.analyses.NpyWriter;
import org.looplens.analyses.patching.ActivationPatching;
import org.looplens.analyses.patching.LogitDifference;
import org.looplens.analyses.patching.PatchDirection;
import org.looplens.analyses.patching.PatchingMap;
import org.looplens.app.figures.PatchingMapFigure;
import org.looplens.app.inspect.OpenCheckpoint;
import org.looplens.app.inspect.PromptInspection;
import org.looplens.engine.InvalidInputException;
import org.looplens.engine.kernels.CpuKernels;
import org.looplens.engine.run.RunOptions;
import org.looplens.engine.trace.SiteKind;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code looplens analyze patching}: a step × layer activation-patching map between two inputs. */
@Command(name = "patching", mixinStandardHelpOptions = true,
        description = "Patch one site kind at every (step, layer) between a clean and a corrupted input of the same "
                + "length, and measure logit(target) − logit(distractor).")
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

    @Option(names = "--target", required = true, paramLabel = "TOKEN", description = "The clean answer: an id or a token's text.")
    String target;

    @Option(names = "--distractor", required = true, paramLabel = "TOKEN", description = "The corrupted answer: an id or a token's text.")
    String distractor;

    @Option(names = "--site", paramLabel = "KIND", defaultValue = "layer_out",
            description = "Site kind patched at every step × layer: attn_in, q, k, v, attn_out, mid, mlp_in, mlp_out, "
                    + "layer_out (default layer_out).")
    String site;

    @Option(names = "--patch-positions", paramLabel = "I,J", description = "Positions patched (default: all).")
    String patchPositions;

    @Option(names = "--position", paramLabel = "I", description = "Position whose output is measured (default: the last).")
    Integer position;

    @Option(names = "--direction", paramLabel = "DIR", defaultValue = "denoise",
            description = "denoise (clean activation into the corrupted run) or noise (the reverse); default denoise.")
    String direction;



    @Override
    AnalysisResult analyse(CheckpointOpener opener) {
        SiteKind kind = parseSite(site);
        PatchDirection dir = switch (direction) {
            case "denoise" -> PatchDirection.DENOISE;
            case "noise" -> PatchDirection.NOISE;
            default -> throw new InvalidInputException("--direction", "'" + direction + "' is not denoise or noise");
        };
        OpenCheckpoint open = checkpoint.open(opener);
        int[] a = input(open, clean, cleanTokens, "--clean");
        int[] b = input(open, corrupt, corruptTokens, "--corrupt");
        if (a.length != b.length) {
            throw new InvalidInputException("--corrupt", "has " + b.length + " tokens, the clean input " + a.length
                    + ": patching pairs positions one to one");
        }
        int at = position == null ? a.length - 1 : position;
        if (at < 0 || at >= a.length) {
            throw new InvalidInputException("--position", at + " is outside the input's 0.." + (a.length - 1));
        }
        LogitDifference metric = new LogitDifference(at, token(open, target, "--target"), token(open, distractor, "--distractor"));
        int[] positions = patchPositions == null ? null : org.looplens.app.inspect.TokenIds.parse(patchPositions);
        PatchingMap map;
        try {
            map = ActivationPatching.stepByLayer(open.model(), CpuKernels.shared(), a, b, kind, positions, metric, dir,
                    RunOptions.defaults());
        } catch (IllegalArgumentException e) {
            throw new InvalidInputException("patching", e.getMessage());
        }
        return new AnalysisResult(PatchingMapFigure.of(map), Map.of(
                "effect", NpyWriter.npy(map.effect()),
                "logit_diff", NpyWriter.npy(map.logitDiff()),
                "clean_corrupt", NpyWriter.npy(new double[] {map.cleanDiff(), map.corruptDiff()})),
                String.format(Locale.ROOT, "patched %s at %d steps × %d layers (%d runs, %.1f s): clean %.3f, corrupt %.3f",
                        kind.name().toLowerCase(Locale.ROOT), map.steps(), map.layers(), map.runs(), map.seconds(),
                        map.cleanDiff(), map.corruptDiff()));
    }

    private static SiteKind parseSite(String name) {
        try {
            return SiteKind.valueOf(name.toUpperCase(Locale.ROOT).replace('-', '_'));
        } catch (IllegalArgumentException e) {
            throw new InvalidInputException("--site", "'" + name + "' is not a site kind");
        }
    }

    private static int[] input(OpenCheckpoint open, String text, String ids, String option) {
        if ((text == null) == (ids == null)) {
            throw new InvalidInputException(option, "give the text or the " + option + "-tokens, exactly one");
        }
        return PromptInspection.tokens(open, text, ids);
    }

    /** A token given as an id, or as text that encodes to exactly one token. */
    private static int token(OpenCheckpoint open, String spec, String option) {
        try {
            return Integer.parseInt(spec.trim());
        } catch (NumberFormatException notAnId) {
            int[] ids = open.tokenizer().orElseThrow(() -> new InvalidInputException(option,
                    "'" + spec + "' is not a token id, and the checkpoint has no tokenizer")).encode(spec);
            if (ids.length != 1) {
                throw new InvalidInputException(option, "'" + spec + "' is " + ids.length + " tokens, not one");
            }
            return ids[0];
        }
    }
}
