package org.looplens.acceptance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The analyze commands end to end on a bundled sample: files that hold the analysis, and clear refusals. */
class AnalyzeCommandTest {
    private static final Path ROOT = Path.of(System.getProperty("looplens.root", "../.."));
    private static final Path SAMPLE = ROOT.resolve("sample-checkpoints/multihop-loop4");
    private static final Path SPEC = ROOT.resolve("sample-checkpoints/specs/multihop-loop4.json");

    @TempDir
    Path dir;

    private int run(String... args) throws Exception {
        return CliProcess.run(List.of(args), dir.resolve("stdout"), dir.resolve("stderr"));
    }

    @Test
    void promptsThenExitSweepAndDepthFromThem() throws Exception {
        Path set = dir.resolve("set.jsonl");
        assertEquals(0, run("analyze", "prompts", "--spec", SPEC.toString(), "--count", "40", "--out", set.toString()));
        assertEquals(40, Files.readAllLines(set).size());
        Path sweep = dir.resolve("sweep.json");
        assertEquals(0, run("analyze", "exit-sweep", "--checkpoint", SAMPLE.toString(), "--prompts", set.toString(),
                "--points", "3", "--out", sweep.toString()), CliProcess.errorLines(dir.resolve("stderr")).toString());
        JsonNode s = new ObjectMapper().readTree(sweep.toFile());
        assertEquals(3, s.get("q").size());
        assertEquals(s.get("last_step_accuracy").asDouble(), s.get("accuracy").get(2).asDouble(), 0);
        assertEquals(4.0, s.get("mean_depth").get(2).asDouble(), 0);
        Path rules = dir.resolve("rules.json");
        assertEquals(0, run("analyze", "exit-rules", "--checkpoint", SAMPLE.toString(), "--prompts", set.toString(),
                "--q", "1", "--out", rules.toString()));
        JsonNode r = new ObjectMapper().readTree(rules.toFile());
        assertEquals("oracle", r.get("rules").get(1).asText());
        assertEquals(1.0, r.get("agreement_with_oracle").get(1).asDouble(), 0);
        assertEquals(s.get("last_step_accuracy").asDouble(), r.get("accuracy").get(0).asDouble(), 0,
                "the gate at q = 1 answers from the last step");
        Path depth = dir.resolve("depth.npz");
        assertEquals(0, run("analyze", "depth", "--checkpoint", SAMPLE.toString(), "--prompts", set.toString(),
                "--out", depth.toString()));
        try (ZipFile zip = new ZipFile(depth.toFile())) {
            assertTrue(zip.getEntry("accuracy.npy") != null && zip.getEntry("steps.npy") != null);
        }
    }

    @Test
    void theLayerLensAtTheLastLayerOfTheLastStepIsTheAnswerItself() throws Exception {
        Path lens = dir.resolve("lens.json");
        assertEquals(0, run("analyze", "layer-lens", "--checkpoint", SAMPLE.toString(), "--text", "<bos> e3 r1 r0 r2 =",
                "--out", lens.toString()));
        JsonNode n = new ObjectMapper().readTree(lens.toFile());
        JsonNode top1 = n.get("top1");
        int steps = top1.size();
        int layers = top1.get(0).size();
        assertEquals(n.get("answer").asInt(), top1.get(steps - 1).get(layers - 1).asInt());
        assertTrue(n.get("note").asText().contains("lens"));
    }

    @Test
    void patchingWritesItsMapAndRefusesUnequalLengths() throws Exception {
        Path map = dir.resolve("map.csv");
        assertEquals(0, run("analyze", "patching", "--checkpoint", SAMPLE.toString(), "--clean", "<bos> e3 r1 r0 r2 =",
                "--corrupt", "<bos> e5 r1 r0 r2 =", "--target", "e11", "--distractor", "e12", "--out", map.toString()));
        List<String> rows = Files.readAllLines(map);
        assertEquals(1 + 4 * 2, rows.size());
        assertTrue(rows.get(rows.size() - 1).startsWith("3,1,layer_out,denoise,"), rows.get(rows.size() - 1));
        assertTrue(rows.get(rows.size() - 1).endsWith(",1.0"), "restoring every position at the end restores the answer");
        assertEquals(2, run("analyze", "patching", "--checkpoint", SAMPLE.toString(), "--clean", "<bos> e3 r1 r0 r2 =",
                "--corrupt", "<bos> e5 r1 =", "--target", "e11", "--distractor", "e12", "--out", map.toString()));
        List<String> err = CliProcess.errorLines(dir.resolve("stderr"));
        assertEquals(1, err.size(), err.toString());
        assertTrue(err.get(0).contains("--corrupt") && err.get(0).contains("tokens"), err.get(0));
    }
}
