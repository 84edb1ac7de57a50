package org.looplens.app.cli;

import java.io.PrintWriter;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Callable;
import org.looplens.app.inspect.GeneratedText;
import org.looplens.app.inspect.OpenCheckpoint;
import org.looplens.engine.InvalidInputException;
import org.looplens.engine.kernels.CpuKernels;
import org.looplens.engine.run.Generator;
import org.looplens.engine.run.LoopRunner;
import org.looplens.engine.run.RunOptions;
import org.looplens.engine.run.Sampling;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code looplens generate}: continues a prompt (text, ids or a ChatML chat) with the KV-cached
 * decoder, printing each token's text the moment it is chosen, until an EOS id from
 * generation_config.json / tokenizer_config.json or the token limit. Ctrl-C ends it cleanly:
 * the current token finishes, the line is closed and the summary printed.
 */
@Command(name = "generate", mixinStandardHelpOptions = true,
        description = "Generate a continuation, streaming tokens to stdout (stops at EOS or --max-tokens).")
final class GenerateCommand implements Callable<Integer> {
    @Mixin
    CheckpointOption checkpoint;

    @ArgGroup(exclusive = false, multiplicity = "1")
    InputOptions input;

    @Option(names = "--max-tokens", paramLabel = "N", defaultValue = "128", description = "Most new tokens (default 128).")
    int maxTokens;

    @Option(names = "--temperature", paramLabel = "T", defaultValue = "0",
            description = "Sampling temperature; 0 (the default) is greedy.")
    double temperature;

    @Option(names = "--top-k", paramLabel = "K", defaultValue = "0", description = "Sample from the K likeliest (0: all).")
    int topK;

    @Option(names = "--top-p", paramLabel = "P", defaultValue = "1", description = "Nucleus mass (1: all).")
    double topP;

    @Option(names = "--seed", paramLabel = "S", defaultValue = "0", description = "Seed of the sampler (default 0).")
    long seed;

    @Option(names = "--steps", paramLabel = "T", description = "Loop steps (default: the trained total_ut_steps).")
    Integer steps;

    @Option(names = "--exit", paramLabel = "POLICY", description = "Exit policy: last, mixture, step=K or q=X (default last).")
    String exit;

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (maxTokens < 1) {
            throw new InvalidInputException("--max-tokens", "must be at least 1, got " + maxTokens);
        }
        Sampling sampling = new Sampling(temperature, topK, topP, seed);
        OpenCheckpoint open = checkpoint.open(err);
        int[] prompt = input.resolve(open.dir(), open.model().config());
        Set<Integer> stop = open.stopTokens();
        RunOptions options = StepsOption.apply(RunOptions.defaults(), steps)
                .withExitPolicy(ExitPolicies.parse(exit == null ? "last" : exit,
                        open.model().config().earlyExitThreshold()));
        if (stop.isEmpty()) {
            err.println("warning: " + open.dir() + " names no EOS token (generation_config.json, tokenizer_config.json);"
                    + " generating until --max-tokens");
        }

        // Ctrl-C: the current token finishes and the summary prints before the JVM exits.
        CancelOnShutdown onCtrlC = new CancelOnShutdown("looplens-generate-stop", () -> { }, 30);
        GeneratedText text = new GeneratedText(open.tokenizer(), prompt);
        long start = System.nanoTime();
        Generator.Generation g;
        try {
            g = new Generator(new LoopRunner(open.model(), CpuKernels.shared())).stream(prompt, maxTokens, sampling,
                    options, stop, token -> {
                        out.print(text.append(token));
                        out.flush();
                        return !onCtrlC.requested() && !out.checkError();
                    });
            out.println();
            out.flush();
            double seconds = (System.nanoTime() - start) / 1e9;
            String why = g.stoppedByToken() ? "EOS" : onCtrlC.requested() ? "interrupted" : g.generated().length
                    >= maxTokens ? "the --max-tokens limit" : "closed output";
            err.printf(Locale.ROOT, "generated %d tokens in %.2f s (%.2f tok/s), stopped by %s%n", g.generated().length,
                    seconds, g.generated().length / seconds, why);
            err.flush();
        } finally {
            onCtrlC.close();
        }
        return LoopLensCli.OK;
    }
}
