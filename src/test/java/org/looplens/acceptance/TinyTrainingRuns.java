package org.looplens.acceptance;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Optional;
import java.util.stream.Stream;
import org.looplens.app.cli.LoopLensCli;

/**
 * The tiny training run the fault tests start, kill and resume: a one-layer LoopLM on a small
 * multi-hop task, checkpointed every 10 steps, two checkpoints kept.
 */
final class TinyTrainingRuns {
    private TinyTrainingRuns() {}

    /** The spec, named {@code name}, training {@code steps} steps. */
    static String spec(String name, int steps) {
        return """
                {
                  "name": "%s",
                  "model": {"config": {"hidden_size": 16, "intermediate_size": 32, "num_hidden_layers": 1,
                            "num_attention_heads": 2, "num_key_value_heads": 1, "total_ut_steps": 2,
                            "max_position_embeddings": 32}},
                  "task": {"kind": "multihop", "entities": 8, "relations": 2, "kTrain": 2, "kTest": 3, "seed": 2},
                  "phases": [{"objective": {"kind": "stage1"}, "steps": %d, "lr": 0.003, "warmup": 5}],
                  "batch": {"size": 8},
                  "seed": 1,
                  "eval": {"every": 0, "examples": 8},
                  "checkpoint": {"every": 10, "keep": 2},
                  "logEvery": 10
                }
                """.formatted(name, steps);
    }

    /** Runs {@code looplens train} in this process; fails the test unless it exits 0. */
    static int train(Path spec, Path out) {
        StringWriter err = new StringWriter();
        int code = LoopLensCli.execute(new String[] {"train", spec.toString(), "--out", out.toString(), "--quiet"},
                new PrintWriter(new StringWriter()), new PrintWriter(err));
        assertEquals(0, code, err.toString());
        return code;
    }

    /** The run folder's newest checkpoint, if it has one. */
    static Optional<Path> latestCheckpoint(Path run) throws IOException {
        Path dir = run.resolve("checkpoints");
        if (!Files.isDirectory(dir)) {
            return Optional.empty();
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.getFileName().toString().startsWith("step-"))
                    .max(Comparator.comparing(p -> p.getFileName().toString()));
        }
    }
}
