package org.looplens.acceptance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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
 * {@code looplens compare} from the command line: a bad spec is one line naming the field, and a
 * compare stopped by SIGTERM (Ctrl-C) mid-training resumes its member when run again, keeping
 * the member it had finished.
 */
class CompareCommandTest {
    private static final String SPEC = """
            {
              "name": "tiny",
              "task": {"kind": "multihop", "entities": 8, "relations": 2, "kTrain": 2, "kTest": 3, "seed": 2},
              "model": {"config": {"hidden_size": 16, "intermediate_size": 32, "num_hidden_layers": 1,
                        "num_attention_heads": 2, "num_key_value_heads": 1, "max_position_embeddings": 32}},
              "training": {
                "loopPhases": [{"objective": {"kind": "stage1"}, "steps": 20, "lr": 0.003}],
                "phases": [{"objective": {"kind": "ce"}, "steps": 3000, "lr": 0.003}],
                "batch": {"size": 8},
                "eval": {"every": 0, "examples": 16},
                "checkpoint": {"every": 10, "keep": 1},
                "logEvery": 10
              },
              "members": [{"kind": "loop", "loops": 2}, {"kind": "flat"}],
              "evaluation": {"questions": 16, "timingQuestions": 4, "exitPoints": 3}
            }
            """;

    @TempDir
    Path tmp;

    @Test
    void aBadSpecNamesTheField() throws Exception {
        Path spec = tmp.resolve("bad.json");
        Files.writeString(spec, SPEC.replace("\"kind\": \"flat\"", "\"kind\": \"flat\", \"loops\": 2"));
        StringWriter err = new StringWriter();
        int code = LoopLensCli.execute(new String[] {"compare", spec.toString(), "--out", tmp.resolve("o").toString()},
                new PrintWriter(new StringWriter()), new PrintWriter(err));
        assertEquals(LoopLensCli.BAD_INPUT, code);
        assertTrue(err.toString().startsWith("error: " + spec + ": field 'members[1].loops' does not apply"), err.toString());
    }

    @Test
    void anInterruptedCompareResumes() throws Exception {
        Path spec = tmp.resolve("tiny.json");
        // 3000 steps of a tiny model: seconds, yet long enough to be interrupted mid-way
        Files.writeString(spec, SPEC);
        Path out = tmp.resolve("out");
        Process child = CliProcess.start(List.of(), List.of("compare", spec.toString(), "--out", out.toString(), "--quiet"),
                tmp.resolve("out.txt"), tmp.resolve("err.txt"));
        Path flatCheckpoints = out.resolve("models/flat/checkpoints");
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
        while (!hasCheckpoint(flatCheckpoints) && child.isAlive() && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        assertTrue(child.isAlive(), "ended before it could be interrupted: " + CliProcess.errorLines(tmp.resolve("err.txt")));
        child.destroy(); // SIGTERM, as Ctrl-C: the shutdown hook saves the member in training
        assertTrue(child.waitFor(1, TimeUnit.MINUTES));
        assertFalse(Files.exists(out.resolve("models/flat/training.json")), "flat must not look finished");
        assertTrue(Files.isRegularFile(out.resolve("models/loop2/training.json")), "loop2 finished before the interrupt");
        String stopped = Files.readString(out.resolve("models/flat/checkpoints").resolve(
                Files.list(flatCheckpoints).filter(p -> p.getFileName().toString().startsWith("step-")).sorted()
                        .reduce((a, b) -> b).orElseThrow().getFileName()).resolve("training.json"));
        int stoppedAt = Integer.parseInt(stopped.replaceAll("(?s).*\"globalStep\" : (\\d+).*", "$1"));

        StringWriter err = new StringWriter();
        StringWriter stdout = new StringWriter();
        int code = LoopLensCli.execute(new String[] {"compare", spec.toString(), "--out", out.toString()},
                new PrintWriter(stdout), new PrintWriter(err));
        assertEquals(0, code, err.toString());
        assertTrue(err.toString().contains("loop2: already trained"), err.toString());
        assertTrue(err.toString().contains("resuming flat at step " + stoppedAt + " of 3000"), err.toString());
        assertTrue(stdout.toString().contains("(resumed)"), stdout.toString());
        assertTrue(Files.isRegularFile(out.resolve("report.md")));
        assertTrue(Files.isRegularFile(out.resolve("results.json")));
    }

    private static boolean hasCheckpoint(Path dir) throws Exception {
        if (!Files.isDirectory(dir)) {
            return false;
        }
        try (var s = Files.list(dir)) {
            return s.anyMatch(p -> p.getFileName().toString().startsWith("step-"));
        }
    }
}
