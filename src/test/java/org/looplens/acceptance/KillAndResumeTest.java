package org.looplens.acceptance;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.looplens.app.cli.LoopLensCli;

/**
 * {@code looplens train} killed with SIGKILL mid-run and started again on the same folder reaches
 * bit for bit the weights and optimiser state of a run that was never interrupted.
 */
class KillAndResumeTest {
    private static final String SPEC = """
            {
              "name": "kill-resume",
              "model": {"config": {"hidden_size": 16, "intermediate_size": 32, "num_hidden_layers": 1,
                        "num_attention_heads": 2, "num_key_value_heads": 1, "total_ut_steps": 2,
                        "max_position_embeddings": 32}},
              "task": {"kind": "multihop", "entities": 8, "relations": 2, "kTrain": 2, "kTest": 3, "seed": 2},
              "phases": [{"objective": {"kind": "stage1"}, "steps": 400, "lr": 0.003, "warmup": 5}],
              "batch": {"size": 8},
              "seed": 1,
              "eval": {"every": 0, "examples": 8},
              "checkpoint": {"every": 10, "keep": 2},
              "logEvery": 10
            }
            """;

    @TempDir
    Path tmp;

    @Test
    void killedRunResumesToTheSameBits() throws Exception {
        Path spec = tmp.resolve("spec.json");
        Files.writeString(spec, SPEC);
        Path whole = tmp.resolve("whole");
        assertEquals(0, train(spec, whole));

        Path killed = tmp.resolve("killed");
        Process child = CliProcess.start(List.of(), List.of("train", spec.toString(), "--out", killed.toString(),
                "--quiet"), tmp.resolve("out.txt"), tmp.resolve("err.txt"));
        Path someCheckpoint = killed.resolve("checkpoints/step-0000030");
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
        while (!Files.exists(someCheckpoint) && child.isAlive() && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        assertTrue(child.isAlive(), "the run ended before it could be killed: " + CliProcess.errorLines(tmp.resolve("err.txt")));
        child.destroyForcibly(); // SIGKILL: no shutdown hook, no final checkpoint
        assertTrue(child.waitFor(1, TimeUnit.MINUTES));
        assertTrue(!Files.exists(killed.resolve("model.safetensors")), "the killed run must not look finished");

        assertEquals(0, train(spec, killed));
        for (String f : List.of("model.safetensors", "optimizer.safetensors")) {
            assertArrayEquals(Files.readAllBytes(whole.resolve(f)), Files.readAllBytes(killed.resolve(f)), f);
        }
    }

    private static int train(Path spec, Path out) {
        StringWriter err = new StringWriter();
        int code = LoopLensCli.execute(new String[] {"train", spec.toString(), "--out", out.toString(), "--quiet"},
                new PrintWriter(new StringWriter()), new PrintWriter(err));
        assertEquals(0, code, err.toString());
        return code;
    }
}
