package org.looplens.app.cli;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.looplens.analyses.NpyWriter;
import org.looplens.analyses.patching.Ablation;
import org.looplens.analyses.patching.AblationMap;
import org.looplens.analyses.patching.AblationMethod;
import org.looplens.analyses.patching.LogitDifference;
import org.looplens.analyses.patching.StepEditEffects;
import org.looplens.analyses.patching.StepEditSweep;
import org.looplens.analyses.prompts.PromptSet;
import org.looplens.app.figures.AblationMapFigure;
import org.looplens.app.figures.StepEditFigure;
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
 * {@code looplens analyze ablation}: mean or resample ablation of one site kind at every
 * (step, layer) of an input, or the effect of skipping and of repeating each loop step.
 */
@Command(name = "ablation", mixinStandardHelpOptions = true,
        description = "Ablate one site kind at every (step, layer) of an input (mean: the prompt set's mean activation;"
                + " resample: other prompts' activations, averaged), or skip and repeat each loop step (steps), and"
                + " measure logit(target) − logit(distractor) and p(target).")
final class AblationCommand extends AnalysisCommand {
    @Mixin
    CheckpointOption checkpoint;

    @Option(names = "--text", paramLabel = "STR", description = "Input text.")
    String text;

    @Option(names = "--tokens", paramLabel = "IDS", description = "Input as token ids.")
    String tokens;

    @Option(names = "--target", required = true, paramLabel = "TOKEN", description = "The answer: an id or a token's text.")
    String target;

    @Option(names = "--distractor", required = true, paramLabel = "TOKEN",
            description = "The token the answer is compared with: an id or a token's text.")
    String distractor;

    @Option(names = "--ablate", paramLabel = "HOW", required = true,
            description = "mean, resample (both need --prompts) or steps (skip, then repeat, each loop step).")
    String ablate;

    @Option(names = "--prompts", paramLabel = "FILE.jsonl",
            description = "Prompt set the replacements come from (its prompts of the input's length).")
    Path prompts;

    @Option(names = "--resamples", paramLabel = "N", defaultValue = "8", description = "Resamples per cell (default 8).")
    int resamples;

    @Option(names = "--seed", paramLabel = "S", defaultValue = "0", description = "Seed of the resamples (default 0).")
    long seed;

    @Option(names = "--site", paramLabel = "KIND", defaultValue = "layer_out",
            description = "Site kind ablated at every step × layer (default layer_out).")
    String site;

    @Option(names = "--position", paramLabel = "I", description = "Position whose output is measured (default: the last).")
    Integer position;

    @Option(names = "--exit", paramLabel = "POLICY", defaultValue = "last",
            description = "Exit policy of the measured output: last, mixture, step=K or q=X (default last). With the last"
                    + " step every skip equals a run of T−1 steps and every repeat one of T+1 (the loop is time-invariant);"
                    + " mixture and q-exit read the steps in between.")
    String exit;

    @Option(names = "--no-prefix-reuse", description = "Run every ablated input from scratch.")
    boolean noPrefixReuse;

    @Override
    AnalysisResult analyse(CheckpointOpener opener) {
        AblationMethod method = switch (ablate) {
            case "mean" -> AblationMethod.MEAN;
            case "resample" -> AblationMethod.RESAMPLE;
            case "steps" -> null;
            default -> throw new InvalidInputException("--ablate", "'" + ablate + "' is not mean, resample or steps");
        };
        OpenCheckpoint open = checkpoint.open(opener);
        int[] input = PatchingCommand.input(open, text, tokens, "--text", "--tokens");
        LogitDifference metric = PatchingCommand.metric(open, input.length, position, target, distractor);
        RunOptions options = RunOptions.defaults().withExitPolicy(
                ExitPolicies.parse(exit, open.model().config().earlyExitThreshold()));
        if (method == null) {
            StepEditEffects e = StepEditSweep.of(open.model(), CpuKernels.shared(), input, metric, options);
            return new AnalysisResult(StepEditFigure.of(e), Map.of("skip_logit_diff", NpyWriter.npy(e.skipDiff()),
                    "repeat_logit_diff", NpyWriter.npy(e.repeatDiff()), "skip_answer_prob", NpyWriter.npy(e.skipProb()),
                    "repeat_answer_prob", NpyWriter.npy(e.repeatProb())), String.format(Locale.ROOT,
                    "skipped and repeated each of %d steps (%.1f s): unedited %.3f (p %.3f)",
                    e.steps(), e.seconds(), e.baseDiff(), e.baseProb()));
        }
        if (prompts == null) {
            throw new InvalidInputException("--prompts", ablate + " ablation takes its replacements from a prompt set");
        }
        if (method == AblationMethod.RESAMPLE && (resamples < 1 || resamples > 10_000)) {
            throw new InvalidInputException("--resamples", "must lie in 1..10000, got " + resamples);
        }
        SiteKind kind = PatchingCommand.parseSite(site);
        List<int[]> set = PromptSet.read(prompts, s -> PromptInspection.tokens(open, s, null)).stream()
                .map(PromptSet.Prompt::tokens).toList();
        AblationMap map;
        try {
            map = Ablation.stepByLayer(open.model(), CpuKernels.shared(), input, metric, kind, method, set, resamples,
                    seed, options, !noPrefixReuse);
        } catch (IllegalArgumentException e) {
            throw new InvalidInputException("ablation", e.getMessage());
        }
        return new AnalysisResult(AblationMapFigure.of(map), Map.of("logit_diff", NpyWriter.npy(map.logitDiff()),
                "delta_logit_diff", NpyWriter.npy(map.diffChange()), "answer_prob", NpyWriter.npy(map.answerProb())),
                String.format(Locale.ROOT, "%s-ablated %s at %d steps × %d layers from %d prompts (%d runs, %.1f s; %d of %d"
                        + " layer applications): unablated %.3f (p %.3f)", method.key(), kind.name().toLowerCase(Locale.ROOT),
                        map.steps(), map.layers(), map.pool(), map.cost().runs(), map.cost().seconds(),
                        map.cost().layerEvaluations(), map.cost().scratchLayerEvaluations(), map.baseDiff(), map.baseProb()));
    }
}
