package org.looplens.acceptance;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.looplens.engine.data.HfTokenizer;
import org.looplens.engine.kernels.CpuKernels;
import org.looplens.engine.model.Checkpoint;
import org.looplens.engine.model.LoopModel;
import org.looplens.engine.run.Generator;
import org.looplens.engine.run.LoopRunner;
import org.looplens.engine.run.RunOptions;
import org.looplens.engine.run.Sampling;

/** {@code looplens generate} prints the engine's own greedy continuation, stops at EOS, and stops on a signal. */
class GenerationCommandTest {
    private static final Path ROOT = Path.of(System.getProperty("looplens.root", "../.."));
    private static final Path COT = ROOT.resolve("sample-checkpoints/multihop-cot");
    private static final String PROMPT = "<bos> e3 r1 r0 r2 ?";

    @TempDir
    Path dir;

    @Test
    void theCotModelWritesItsChainTheAnswerAndEos() throws Exception {
        Path out = dir.resolve("stdout");
        Path err = dir.resolve("stderr");
        int code = CliProcess.run(List.of("generate", "--checkpoint", COT.toString(), "--text", PROMPT,
                "--max-tokens", "20"), out, err);
        assertEquals(0, code, "generate failed: " + CliProcess.errorLines(err));

        LoopModel model = Checkpoint.load(COT);
        try (HfTokenizer tok = HfTokenizer.load(COT.resolve("tokenizer.json"))) {
            int[] prompt = tok.encode(PROMPT);
            int[] generated = new Generator(new LoopRunner(model, CpuKernels.shared())).generate(prompt, 20,
                    Sampling.greedy(), RunOptions.defaults(), Set.of(2), null).generated();
            int[] all = Arrays.copyOf(prompt, prompt.length + generated.length);
            System.arraycopy(generated, 0, all, prompt.length, generated.length);
            String continuation = tok.decode(all).substring(tok.decode(prompt).length());
            assertEquals(continuation + "\n", Files.readString(out));
            // The chain, "=", the answer and <eos>: the CoT format the model was trained on.
            assertEquals(2, generated[generated.length - 1], "ends at <eos> (id 2, generation_config.json)");
            assertEquals(tok.encode("=")[0], generated[generated.length - 3]);
            assertTrue(continuation.matches("( e\\d+)+ = e\\d+ <eos>"), continuation);
            List<String> summary = CliProcess.errorLines(err);
            assertEquals(1, summary.size(), summary.toString());
            assertTrue(summary.getFirst().startsWith("generated " + generated.length + " tokens in ")
                    && summary.getFirst().endsWith("stopped by EOS"), summary.getFirst());
        }
    }

    /** SIGTERM (what Ctrl-C's SIGINT also does to the JVM) ends the run between tokens, output complete. */
    @Test
    void aSignalStopsGenerationCleanly() throws Exception {
        Path ckpt = RandomCheckpoints.init(dir.resolve("random"), """
                {"vocab_size": 512, "hidden_size": 256, "intermediate_size": 704, "num_hidden_layers": 4,
                 "num_attention_heads": 4, "num_key_value_heads": 4, "head_dim": 64, "total_ut_steps": 4,
                 "max_position_embeddings": 65536}
                """);
        Path out = dir.resolve("stdout");
        Path err = dir.resolve("stderr");
        Process p = CliProcess.start(List.of(), List.of("generate", "--checkpoint", ckpt.toString(), "--tokens",
                "1,2,3", "--max-tokens", "60000"), out, err);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (Files.size(out) < 200 && System.nanoTime() < deadline && p.isAlive()) {
            Thread.sleep(50);
        }
        assertTrue(p.isAlive(), "still generating when signalled: " + CliProcess.errorLines(err));
        p.destroy();
        assertTrue(p.waitFor(30, TimeUnit.SECONDS), "generate did not stop on SIGTERM");
        String printed = Files.readString(out);
        assertTrue(printed.endsWith("\n") && printed.matches("( #\\d+)+\n"), "complete tokens, line closed: " + printed);
        List<String> lines = CliProcess.errorLines(err);
        assertTrue(lines.getFirst().startsWith("warning: ") && lines.getFirst().contains("names no EOS token"), lines.toString());
        int shown = printed.strip().split(" ").length;
        assertTrue(lines.get(1).startsWith("generated " + shown + " tokens") && lines.get(1).endsWith("stopped by interrupted"),
                lines.toString());
    }
}
