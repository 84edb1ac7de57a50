package org.looplens.engine.run;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Autoregressive generation with the per-(step, layer) KV cache: prefill the prompt, then feed each
 * chosen token back. The next token comes from the output the run options' exit policy reports at
 * the last position.
 */
public final class Generator {
    private final LoopRunner runner;

    public Generator(LoopRunner runner) {
        this.runner = runner;
    }

    /** What generation produced: the new tokens and the run result of each decoding call. */
    public record Generation(int[] prompt, int[] generated, List<RunResult> steps, boolean stoppedByToken) {}

    /** Sees each new token the moment it is chosen; returning false stops generation there. */
    @FunctionalInterface
    public interface TokenSink {
        boolean accept(int token);
    }

    /**
     * Generates up to {@code maxNewTokens} tokens, stopping early at any token in {@code stop}.
     * {@code onToken} sees each new token's run result as it arrives (null to ignore).
     */
    public Generation generate(int[] prompt, int maxNewTokens, Sampling sampling, RunOptions options,
                               Set<Integer> stop, Consumer<RunResult> onToken) {
        return run(prompt, maxNewTokens, sampling, options, stop, token -> true, onToken);
    }

    /**
     * As {@link #generate}, handing each token to {@code sink} before the model runs it, so a
     * reader can print it at once; the sink's false (a cancel, a closed pipe) ends the generation
     * with the tokens so far.
     */
    public Generation stream(int[] prompt, int maxNewTokens, Sampling sampling, RunOptions options,
                             Set<Integer> stop, TokenSink sink) {
        return run(prompt, maxNewTokens, sampling, options, stop, sink, null);
    }

    private Generation run(int[] prompt, int maxNewTokens, Sampling sampling, RunOptions options,
                           Set<Integer> stop, TokenSink sink, Consumer<RunResult> onToken) {
        DecodeSession session = runner.session(options);
        TokenSampler sampler = new TokenSampler(sampling);
        int vocab = runner.model().config().vocabSize();
        List<RunResult> results = new ArrayList<>();
        List<Integer> out = new ArrayList<>();
        RunResult last = session.append(prompt);
        results.add(last);
        boolean stopped = false;
        for (int i = 0; i < maxNewTokens; i++) {
            int next = sampler.next(last.output().data(), (last.length() - 1) * vocab, vocab);
            out.add(next);
            boolean more = sink.accept(next);
            if (stop.contains(next)) {
                stopped = true;
                break;
            }
            if (!more || i == maxNewTokens - 1) {
                break;
            }
            last = session.append(next);
            results.add(last);
            if (onToken != null) {
                onToken.accept(last);
            }
        }
        return new Generation(prompt.clone(), out.stream().mapToInt(Integer::intValue).toArray(),
                List.copyOf(results), stopped);
    }
}
