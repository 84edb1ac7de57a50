package org.looplens.app.cli;

import java.util.Locale;
import java.util.Map;
import org.looplens.analyses.NpyWriter;
import org.looplens.analyses.lens.LayerLens;
import org.looplens.app.figures.LayerLensFigure;
import org.looplens.app.inspect.OpenCheckpoint;
import org.looplens.engine.InvalidInputException;
import org.looplens.engine.kernels.CpuKernels;
import org.looplens.engine.run.RunOptions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code looplens analyze layer-lens}: the logit lens at every layer of every loop step. */
@Command(name = "layer-lens", mixinStandardHelpOptions = true,
        description = "The final norm and head applied to every layer's output at one position (a lens, not a trained "
                + "readout): the probability of the final answer at each step × layer.")
final class LayerLensCommand extends AnalysisCommand {
    @Mixin
    PromptOptions prompt;

    @Option(names = "--position", paramLabel = "I", description = "Position to read (default: the last).")
    Integer position;



    @Override
    AnalysisResult analyse(CheckpointOpener opener) {
        OpenCheckpoint open = prompt.open("layer-lens", opener);
        int[] ids = prompt.tokens(open);
        int at = position == null ? ids.length - 1 : position;
        if (at < 0 || at >= ids.length) {
            throw new InvalidInputException("--position", at + " is outside the prompt's 0.." + (ids.length - 1));
        }
        RunOptions options = prompt.steps == null ? RunOptions.defaults() : RunOptions.defaults().withSteps(prompt.steps);
        LayerLens lens = LayerLens.of(open.model(), CpuKernels.shared(), ids, options, at);
        return new AnalysisResult(LayerLensFigure.of(lens, open::tokenText), Map.of(
                "answer_prob", NpyWriter.npy(lens.answerProb())),
                String.format(Locale.ROOT, "layer lens at position %d (answer %s)", at, open.tokenText(lens.answer())));
    }
}
