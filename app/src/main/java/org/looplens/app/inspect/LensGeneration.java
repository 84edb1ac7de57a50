package org.looplens.app.inspect;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.looplens.analyses.lens.StepLens;
import org.looplens.engine.kernels.Kernels;
import org.looplens.engine.run.DecodeSession;
import org.looplens.engine.run.KvSharing;
import org.looplens.engine.run.LoopRunner;
import org.looplens.engine.run.RunResult;
import org.looplens.engine.run.Sampling;
import org.looplens.engine.run.TokenSampler;

/**
 * Generation that keeps the inspector's lens up to date: the decode session records every step's
 * logits, so each new token's run gives its own column of the heatmap and the lens grows by it,
 * instead of the whole sequence being re-run per token. The chosen token is run too (the stop
 * token included), so every shown token has its column. Same tokens as
 * {@link org.looplens.engine.run.Generator}: capturing does not change the outputs.
 */
public final class LensGeneration {
    private LensGeneration() {}

    /** Sees each new token with the inspection of the sequence so far; false stops the generation. */
    @FunctionalInterface
    public interface Listener {
        boolean next(int token, PromptInspection soFar);
    }

    /** Generates up to {@code limit} tokens after {@code prompt}, stopping at the checkpoint's EOS ids. */
    public static PromptInspection run(OpenCheckpoint checkpoint, int[] prompt, InspectSettings settings, int limit,
                                       Sampling sampling, Kernels kernels, Listener listener) {
        var config = checkpoint.model().config();
        Set<Integer> stop = checkpoint.stopTokens();
        // Sized for the whole generation, so a cache over the memory budget is refused before the first token.
        DecodeSession session = new LoopRunner(checkpoint.model(), kernels)
                .session(StepLens.lensOptions(settings.runOptions()), KvSharing.FULL, prompt.length + limit);
        TokenSampler sampler = new TokenSampler(sampling);
        int vocab = config.vocabSize();
        RunResult run = session.append(prompt);
        StepLens lens = StepLens.of(run, settings.topK(), config.totalUtSteps(), settings.target());
        run.trace().release(); // a long prompt's captures may have spilled; the lens holds what it needs
        List<String> labels = new ArrayList<>();
        for (int id : prompt) {
            labels.add(checkpoint.tokenText(id));
        }
        PromptInspection shown = new PromptInspection(checkpoint, settings, lens, List.copyOf(labels));
        for (int i = 0; i < limit; i++) {
            int next = sampler.next(run.output().data(), (run.length() - 1) * vocab, vocab);
            run = session.append(next);
            lens = lens.followedBy(StepLens.of(run, settings.topK(), config.totalUtSteps(), settings.target()));
            run.trace().release();
            labels.add(checkpoint.tokenText(next));
            shown = new PromptInspection(checkpoint, settings, lens, List.copyOf(labels));
            if (!listener.next(next, shown) || stop.contains(next)) {
                break;
            }
        }
        return shown;
    }
}
