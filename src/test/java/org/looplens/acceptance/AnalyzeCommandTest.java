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
    void trajectoriesPastTheTrainedTHaveTheirShapesAndInvariants() throws Exception {
        Path json = dir.resolve("trajectories.json");
        assertEquals(0, run("analyze", "trajectories", "--checkpoint", SAMPLE.toString(), "--spec", SPEC.toString(),
                "--questions", "24", "--steps", "8", "--components", "3", "--out", json.toString()),
                CliProcess.errorLines(dir.resolve("stderr")).toString());
        JsonNode n = new ObjectMapper().readTree(json.toFile());
        assertEquals(8, n.get("steps").asInt());
        assertEquals(4, n.get("trained_steps").asInt());
        assertTrue(n.get("extrapolated").asBoolean());
        assertEquals(24, n.get("path").size(), "one path per question's last position");
        assertEquals(8, n.get("path").get(0).size());
        assertEquals(3, n.get("path").get(0).get(0).size());
        JsonNode ratio = n.get("explained_ratio");
        assertTrue(ratio.get(0).asDouble() + ratio.get(1).asDouble() + ratio.get(2).asDouble() <= 1 + 1e-12);
        assertTrue(ratio.get(0).asDouble() >= ratio.get(1).asDouble() && ratio.get(1).asDouble() >= ratio.get(2).asDouble());
        for (JsonNode row : n.get("distance_to_last")) {
            assertEquals(0.0, row.get(7).asDouble(), 0, "the last step is at distance 0 from itself");
        }
        assertEquals(7, n.get("mean_relative_change").size());
        assertEquals(7, n.get("cosine").get(0).size());
        assertTrue(List.of("converging", "drifting").contains(n.get("convergence").asText()));
        Path npz = dir.resolve("trajectories.npz");
        assertEquals(0, run("analyze", "trajectories", "--checkpoint", SAMPLE.toString(), "--text", "<bos> e3 r1 r0 r2 =",
                "--positions", "all", "--steps", "4", "--out", npz.toString()));
        try (ZipFile zip = new ZipFile(npz.toFile())) {
            assertTrue(zip.getEntry("path.npy") != null && zip.getEntry("relative_change.npy") != null);
        }
        assertEquals(2, run("analyze", "trajectories", "--checkpoint", SAMPLE.toString(), "--text", "<bos> e3 r1 r0 r2 =",
                "--steps", "9", "--out", json.toString()));
        List<String> err = CliProcess.errorLines(dir.resolve("stderr"));
        assertTrue(err.size() == 1 && err.get(0).contains("--steps") && err.get(0).contains("1..8"), err.toString());
    }

    @Test
    void exitDepthPerHopCountAndTheGateFreeRules() throws Exception {
        Path json = dir.resolve("depth.json");
        assertEquals(0, run("analyze", "exit-depth", "--checkpoint", SAMPLE.toString(), "--spec", SPEC.toString(),
                "--questions", "60", "--q", "1", "--out", json.toString()),
                CliProcess.errorLines(dir.resolve("stderr")).toString());
        JsonNode n = new ObjectMapper().readTree(json.toFile());
        int total = 0;
        for (int i = 0; i < n.get("difficulty").size(); i++) {
            total += n.get("questions").get(i).asInt();
            assertEquals(4.0, n.get("mean_q_exit_depth").get(i).asDouble(), 0, "q = 1 never exits early");
            double expected = n.get("mean_expected_depth").get(i).asDouble();
            double oracle = n.get("mean_oracle_depth").get(i).asDouble();
            assertTrue(expected >= 1 && expected <= 4 && oracle >= 1 && oracle <= 4, expected + " " + oracle);
        }
        assertEquals(60, total);
        Path rules = dir.resolve("rules.json");
        assertEquals(0, run("analyze", "exit-rules", "--checkpoint", SAMPLE.toString(), "--spec", SPEC.toString(),
                "--questions", "60", "--latent-change", "0.2", "--step-kl", "0.05", "--out", rules.toString()));
        JsonNode r = new ObjectMapper().readTree(rules.toFile());
        assertEquals("latent-change<0.2", r.get("rules").get(4).asText());
        assertEquals("step-kl<0.05", r.get("rules").get(5).asText());
        assertEquals(2, run("analyze", "exit-rules", "--checkpoint", SAMPLE.toString(), "--spec", SPEC.toString(),
                "--step-kl", "0", "--out", rules.toString()));
        assertTrue(CliProcess.errorLines(dir.resolve("stderr")).get(0).contains("--step-kl"));
    }

    @Test
    void patchingByPositionFollowsTheAnswerAlongThePromptAndPrefixReuseChangesNothing() throws Exception {
        Path pos = dir.resolve("pos.json");
        assertEquals(0, run("analyze", "patching", "--checkpoint", SAMPLE.toString(), "--clean", "<bos> e3 r1 r0 r2 =",
                "--corrupt", "<bos> e5 r1 r0 r2 =", "--target", "e11", "--distractor", "e12", "--map", "step-position",
                "--site", "step_hidden", "--out", pos.toString()), CliProcess.errorLines(dir.resolve("stderr")).toString());
        JsonNode p = new ObjectMapper().readTree(pos.toFile());
        JsonNode effect = p.get("effect");
        assertEquals(4, effect.size());
        assertEquals(6, effect.get(0).size());
        assertEquals(1.0, effect.get(3).get(5).asDouble(), 0, "the last step's state at '=' is the answer");
        for (int i = 0; i < 5; i++) {
            assertEquals(0.0, effect.get(3).get(i).asDouble(), 0, "after the last step only the readout remains");
        }
        assertEquals(0.0, effect.get(0).get(0).asDouble(), 0, "<bos> is the same in both inputs");
        JsonNode cost = p.get("cost");
        assertTrue(cost.get("layer_evaluations").asLong() < cost.get("scratch_layer_evaluations").asLong(), cost.toString());
        Path reused = dir.resolve("reused.csv");
        Path scratch = dir.resolve("scratch.csv");
        assertEquals(0, run("analyze", "patching", "--checkpoint", SAMPLE.toString(), "--clean", "<bos> e3 r1 r0 r2 =",
                "--corrupt", "<bos> e5 r1 r0 r2 =", "--target", "e11", "--distractor", "e12", "--site", "attn_out",
                "--out", reused.toString()));
        assertEquals(0, run("analyze", "patching", "--checkpoint", SAMPLE.toString(), "--clean", "<bos> e3 r1 r0 r2 =",
                "--corrupt", "<bos> e5 r1 r0 r2 =", "--target", "e11", "--distractor", "e12", "--site", "attn_out",
                "--no-prefix-reuse", "--out", scratch.toString()));
        assertEquals(Files.readAllLines(scratch), Files.readAllLines(reused));
        assertEquals(2, run("analyze", "patching", "--checkpoint", SAMPLE.toString(), "--clean", "<bos> e3 r1 r0 r2 =",
                "--corrupt", "<bos> e5 r1 r0 r2 =", "--target", "e11", "--distractor", "e12", "--map", "step-position",
                "--site", "mid", "--out", pos.toString()));
        assertTrue(CliProcess.errorLines(dir.resolve("stderr")).get(0).contains("--layer"));
    }

    @Test
    void patchingOverCounterfactualPairsGivesMeansWithIntervals() throws Exception {
        Path set = dir.resolve("pairs.jsonl");
        assertEquals(0, run("analyze", "prompts", "--spec", SPEC.toString(), "--count", "12", "--counterfactual",
                "--out", set.toString()));
        JsonNode first = new ObjectMapper().readTree(Files.readAllLines(set).get(0));
        assertEquals(first.get("tokens").size(), first.get("counterfactual_tokens").size());
        assertTrue(first.get("label").asInt() != first.get("counterfactual_label").asInt());
        Path avg = dir.resolve("avg.json");
        assertEquals(0, run("analyze", "patching", "--checkpoint", SAMPLE.toString(), "--prompts", set.toString(),
                "--site", "attn_out", "--bootstrap", "200", "--seed", "3", "--out", avg.toString()),
                CliProcess.errorLines(dir.resolve("stderr")).toString());
        JsonNode a = new ObjectMapper().readTree(avg.toFile());
        assertEquals(12, a.get("pairs").asInt());
        for (int t = 0; t < 4; t++) {
            for (int l = 0; l < 2; l++) {
                double mean = a.get("mean_effect").get(t).get(l).asDouble();
                assertTrue(a.get("ci_lo").get(t).get(l).asDouble() <= mean && mean <= a.get("ci_hi").get(t).get(l).asDouble());
            }
        }
        Path again = dir.resolve("again.json");
        assertEquals(0, run("analyze", "patching", "--checkpoint", SAMPLE.toString(), "--prompts", set.toString(),
                "--site", "attn_out", "--bootstrap", "200", "--seed", "3", "--out", again.toString()));
        JsonNode b = new ObjectMapper().readTree(again.toFile());
        assertEquals(a.get("ci_lo"), b.get("ci_lo"), "a seed gives the same intervals");
        assertEquals(2, run("analyze", "patching", "--checkpoint", SAMPLE.toString(), "--prompts", SPEC.toString(),
                "--out", avg.toString()));
    }

    @Test
    void ablationMapsAndSkippingOrRepeatingSteps() throws Exception {
        Path set = dir.resolve("set.jsonl");
        assertEquals(0, run("analyze", "prompts", "--spec", SPEC.toString(), "--count", "80", "--out", set.toString()));
        Path mean = dir.resolve("mean.csv");
        assertEquals(0, run("analyze", "ablation", "--checkpoint", SAMPLE.toString(), "--text", "<bos> e3 r1 r0 r2 =",
                "--target", "e11", "--distractor", "e12", "--ablate", "mean", "--prompts", set.toString(),
                "--site", "attn_out", "--out", mean.toString()), CliProcess.errorLines(dir.resolve("stderr")).toString());
        List<String> rows = Files.readAllLines(mean);
        assertEquals(1 + 4 * 2, rows.size());
        assertTrue(rows.get(1).startsWith("0,0,attn_out,mean,"), rows.get(1));
        Path resample = dir.resolve("resample.json");
        assertEquals(0, run("analyze", "ablation", "--checkpoint", SAMPLE.toString(), "--text", "<bos> e3 r1 r0 r2 =",
                "--target", "e11", "--distractor", "e12", "--ablate", "resample", "--resamples", "3", "--prompts",
                set.toString(), "--out", resample.toString()));
        assertEquals(3, new ObjectMapper().readTree(resample.toFile()).get("resamples").asInt());
        Path steps = dir.resolve("steps.csv");
        assertEquals(0, run("analyze", "ablation", "--checkpoint", SAMPLE.toString(), "--text", "<bos> e3 r1 r0 r2 =",
                "--target", "e11", "--distractor", "e12", "--ablate", "steps", "--out", steps.toString()));
        List<String> edits = Files.readAllLines(steps);
        assertEquals(2 + 2 * 4, edits.size());
        // With the last step read out, any skip is a 3-step run and any repeat a 5-step run.
        for (int t = 1; t < 4; t++) {
            assertEquals(edits.get(2).substring(7), edits.get(2 + t).substring(7), edits.toString());
            assertEquals(edits.get(6).substring(9), edits.get(6 + t).substring(9), edits.toString());
        }
        assertEquals(2, run("analyze", "ablation", "--checkpoint", SAMPLE.toString(), "--text", "<bos> e3 r1 r0 r2 =",
                "--target", "e11", "--distractor", "e12", "--ablate", "mean", "--out", steps.toString()));
        assertTrue(CliProcess.errorLines(dir.resolve("stderr")).get(0).contains("--prompts"));
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
                "--site", "3,step_hidden", "--clean", "<bos> e3 r1 r0 r2 =", "--corrupt", "<bos> e5 r1 r0 r2 =",
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
