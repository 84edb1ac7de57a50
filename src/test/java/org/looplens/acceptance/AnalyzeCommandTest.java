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

    @Test
    void probesReportHeldOutAccuracyPerHopAndStepWithTheControlAndAgreement() throws Exception {
        Path json = dir.resolve("probes.json");
        assertEquals(0, run("analyze", "probes", "--checkpoint", SAMPLE.toString(), "--spec", SPEC.toString(),
                "--questions", "600", "--target", "hop", "--out", json.toString()),
                CliProcess.errorLines(dir.resolve("stderr")).toString());
        JsonNode n = new ObjectMapper().readTree(json.toFile());
        assertEquals(4, n.get("steps").asInt());
        JsonNode groups = n.get("groups");
        assertEquals(3, groups.size(), "the test split holds 2-, 3- and 4-hop questions");
        for (int i = 0; i < groups.size(); i++) {
            JsonNode g = groups.get(i);
            int hops = g.get("hops").asInt();
            assertEquals(i + 2, hops);
            assertEquals(hops, g.get("accuracy").size(), "one row per hop, the last the answer");
            for (int r = 0; r < hops; r++) {
                assertEquals(4, g.get("accuracy").get(r).size());
                for (int t = 0; t < 4; t++) {
                    double acc = g.get("accuracy").get(r).get(t).asDouble();
                    double control = g.get("control").get(r).get(t).asDouble();
                    assertTrue(acc >= 0 && acc <= 1 && control >= 0 && control <= 1, acc + " " + control);
                    assertEquals(acc - control, g.get("selectivity").get(r).get(t).asDouble(), 0);
                }
            }
        }
        JsonNode agreement = n.get("agreement");
        assertEquals(4, agreement.size());
        for (int s = 0; s < 4; s++) {
            assertEquals(1.0, agreement.get(s).get(s).asDouble(), 0);
            for (int t = 0; t < 4; t++) {
                assertEquals(agreement.get(s).get(t).asDouble(), agreement.get(t).get(s).asDouble(), 0);
            }
        }
        // The model answers every 4-hop question only at its last step, and there a linear probe reads it.
        JsonNode four = groups.get(2);
        assertEquals(1.0, four.get("model_accuracy").asDouble(), 0);
        assertTrue(four.get("accuracy").get(3).get(3).asDouble() > 0.9, four.get("accuracy").toString());
        Path png = dir.resolve("agreement.png");
        assertEquals(0, run("analyze", "probes", "--checkpoint", SAMPLE.toString(), "--spec", SPEC.toString(),
                "--questions", "300", "--target", "answer", "--figure", "agreement", "--out", png.toString()));
        assertTrue(Files.size(png) > 1000);
        assertEquals(2, run("analyze", "probes", "--checkpoint", SAMPLE.toString(), "--spec", SPEC.toString(),
                "--target", "hops2", "--out", json.toString()));
        List<String> err = CliProcess.errorLines(dir.resolve("stderr"));
        assertTrue(err.get(0).contains("--target"), err.toString());
    }

    @Test
    void steeringAlongACleanMinusCorruptDirectionMovesTheAnswer() throws Exception {
        Path json = dir.resolve("steering.json");
        assertEquals(0, run("analyze", "steering", "--checkpoint", SAMPLE.toString(), "--text", "<bos> e5 r1 r0 r2 =",
                "--site", "3,step_hidden", "--from-prompts", "<bos> e3 r1 r0 r2 =", "<bos> e5 r1 r0 r2 =",
                "--strengths", "0,0.5,1", "--out", json.toString()),
                CliProcess.errorLines(dir.resolve("stderr")).toString());
        JsonNode n = new ObjectMapper().readTree(json.toFile());
        assertEquals(0.0, n.get("kl").get(0).asDouble(), 0, "strength 0 leaves the output as it was");
        assertEquals(n.get("base_target_prob").asDouble(), n.get("target_prob").get(0).asDouble(), 0);
        // At the last step's state the head reads the vector directly, so strength 1 turns the corrupt
        // prompt's final state into the clean one's: the clean answer wins.
        assertEquals(n.get("target").asInt(), n.get("top1").get(2).asInt());
        assertTrue(n.get("kl").get(1).asDouble() > 0 && n.get("kl").get(2).asDouble() > n.get("kl").get(1).asDouble());
        assertEquals(2, run("analyze", "steering", "--checkpoint", SAMPLE.toString(), "--text", "<bos> e5 r1 r0 r2 =",
                "--site", "3,0,q", "--vector", json.toString(), "--out", json.toString()));
        List<String> err = CliProcess.errorLines(dir.resolve("stderr"));
        assertTrue(err.get(0).contains("--site") && err.get(0).contains("residual"), err.toString());
    }
}
