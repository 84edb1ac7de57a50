package org.looplens.engine.train;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;

/** Small training specs for tests: a tiny LoopLM on a tiny multi-hop task. */
final class TrainingSpecs {
    private static final ObjectMapper JSON = new ObjectMapper();

    private TrainingSpecs() {}

    static String tiny(int steps, int checkpointEvery, double lr) {
        return """
                {
                  "name": "tiny",
                  "model": {"config": {"hidden_size": 16, "intermediate_size": 24, "num_hidden_layers": 1,
                            "num_attention_heads": 2, "num_key_value_heads": 1, "total_ut_steps": 3,
                            "max_position_embeddings": 32}},
                  "task": {"kind": "multihop", "entities": 8, "relations": 2, "kTrain": 2, "kTest": 3, "seed": 4},
                  "phases": [
                    {"objective": {"kind": "stage1", "beta": 0.1}, "steps": %d, "lr": %s, "warmup": 2},
                    {"objective": {"kind": "stage2"}, "steps": 3, "lr": 0.01}
                  ],
                  "batch": {"size": 4, "accumulate": 2},
                  "seed": 9,
                  "eval": {"every": 0, "examples": 16},
                  "checkpoint": {"every": %d, "keep": 3},
                  "logEvery": 2
                }
                """.formatted(steps, Double.toString(lr), checkpointEvery);
    }

    static TrainingSpecReader.Loaded load(String json, Path baseDir) throws Exception {
        JsonNode node = JSON.readTree(json);
        return TrainingSpecReader.fromJson(node, "spec.json", baseDir);
    }
}
