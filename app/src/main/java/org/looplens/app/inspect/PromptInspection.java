package org.looplens.app.inspect;

import java.util.ArrayList;
import java.util.List;
import org.looplens.analyses.lens.StepLens;
import org.looplens.engine.InvalidInputException;
import org.looplens.engine.kernels.Kernels;
import org.looplens.engine.run.InputCheck;
import org.looplens.engine.run.LoopRunner;
import org.looplens.engine.run.MemoryPlan;
import org.looplens.engine.run.RunResult;
import org.looplens.engine.run.RunOptions;

/**
 * One prompt run through a checkpoint with the inspector's settings: the lens, the tokens as text
 * for labels, and where the run's captures went ({@code null} for a generation, whose
 * per-token captures are small). Shared by the workbench, {@code looplens figure} and
 * {@code looplens snapshot}, so all three show the same numbers.
 */
public record PromptInspection(OpenCheckpoint checkpoint, InspectSettings settings, StepLens lens,
                               List<String> tokenLabels, MemoryPlan memory) {

    public PromptInspection(OpenCheckpoint checkpoint, InspectSettings settings, StepLens lens,
                            List<String> tokenLabels) {
        this(checkpoint, settings, lens, tokenLabels, null);
    }

    public static PromptInspection run(OpenCheckpoint checkpoint, int[] tokens, InspectSettings settings,
                                       Kernels kernels) {
        InputCheck.tokens(checkpoint.model().config(), tokens, 0, "prompt for " + checkpoint.dir());
        LoopRunner runner = new LoopRunner(checkpoint.model(), kernels);
        RunOptions options = StepLens.lensOptions(settings.runOptions());
        MemoryPlan memory = runner.memoryPlan(List.of(tokens), options);
        RunResult run = runner.forward(List.of(tokens), options, memory).get(0);
        StepLens lens = StepLens.of(run, settings.topK(), checkpoint.model().config().totalUtSteps(), settings.target());
        run.trace().release(); // the lens holds what it needs; a spill file's disk space goes now
        List<String> labels = new ArrayList<>();
        for (int id : tokens) {
            labels.add(checkpoint.tokenText(id));
        }
        return new PromptInspection(checkpoint, settings, lens, List.copyOf(labels), memory);
    }

    /** The token ids of a prompt given as text (with the checkpoint's tokenizer) or as ids. */
    public static int[] tokens(OpenCheckpoint checkpoint, String text, String ids) {
        if ((text == null) == (ids == null)) {
            throw new InvalidInputException("input", "give exactly one of text or token ids");
        }
        if (ids != null) {
            return TokenIds.parse(ids);
        }
        int[] encoded = checkpoint.tokenizer().orElseThrow(() -> new InvalidInputException(checkpoint.dir().toString(),
                "no tokenizer LoopLens can read in this checkpoint; give token ids")).encode(text);
        if (encoded.length == 0) {
            throw new InvalidInputException("text", "empty input");
        }
        return encoded;
    }
}
