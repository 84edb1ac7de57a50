package org.looplens.engine.train;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.looplens.engine.InvalidInputException;

/**
 * Reads a run's {@code metrics.jsonl} back: the training records in order. Evaluation lines are
 * skipped, and so is a last line cut short by a crash (the run writes it again on resume).
 */
public final class MetricsLog {
    private static final ObjectMapper JSON = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    private MetricsLog() {
    }

    /** The training records of the run in {@code runDir}; an error names the file and line. */
    public static List<MetricsRecord> read(Path runDir) {
        Path log = runDir.resolve(RunFolder.METRICS_LOG);
        if (!Files.isRegularFile(log)) {
            throw new InvalidInputException(log.toString(), "no metrics log: is " + runDir + " a training run folder?");
        }
        List<String> lines;
        try {
            lines = Files.readAllLines(log, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new InvalidInputException(log.toString(), "cannot read: " + e.getMessage());
        }
        List<MetricsRecord> records = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            if (line.isBlank()) {
                continue;
            }
            JsonNode node;
            try {
                node = JSON.readTree(line);
            } catch (IOException torn) {
                if (i == lines.size() - 1) {
                    break; // a line cut by a crash
                }
                throw new InvalidInputException(log.toString(), "line " + (i + 1) + " is not JSON: " + torn.getMessage().lines().findFirst().orElse(""));
            }
            if (node == null || !node.has("stepLosses")) {
                continue; // an evaluation line
            }
            try {
                records.add(JSON.treeToValue(node, MetricsRecord.class));
            } catch (IOException e) {
                throw new InvalidInputException(log.toString(), "line " + (i + 1) + ": " + e.getMessage());
            }
        }
        return records;
    }
}
