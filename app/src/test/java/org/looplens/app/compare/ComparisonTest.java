package org.looplens.app.compare;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.looplens.engine.kernels.CpuKernels;
import org.looplens.engine.train.MetricsRecord;
import org.looplens.engine.train.TrainingListener;

/**
 * A whole comparison on a tiny task with a budget of 20 steps per member: cancelled in the middle
 * of the second member and run again, it resumes that member and keeps the first; its report's
 * numbers are results.json's; and a member naming a checkpoint with its exact spec reuses it.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ComparisonTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path dir;

    private Path out;
    private Path specFile;
    private byte[] loopStateAfterFirstRun;
    private final Map<String, Integer> startedAt = new LinkedHashMap<>();
    private Optional<ComparisonResult> first;
    private ComparisonResult result;

    private Optional<ComparisonResult> compare(ExperimentSpec spec, Path into, String cancelMember, int cancelStep,
                                               Map<String, Integer> started) {
        AtomicReference<Comparison> self = new AtomicReference<>();
        AtomicReference<String> training = new AtomicReference<>();
        TrainingListener listener = new TrainingListener() {
            @Override
            public void started(String name, int startStep, int totalSteps) {
                training.set(name);
                started.put(name, startStep);
            }

            @Override
            public void logged(MetricsRecord r) {
                if (training.get().equals(cancelMember) && r.step() >= cancelStep) {
                    self.get().cancel();
                }
            }
        };
        Comparison c = new Comparison(spec, into, CpuKernels.shared(), new FlopsCostModel(), FaithfulnessSuite.NONE,
                listener, line -> {});
        self.set(c);
        return c.run();
    }

    @BeforeAll
    void cancelThenResume() throws Exception {
        specFile = dir.resolve("experiment.json");
        Files.writeString(specFile, ExperimentSpecReaderTest.SPEC);
        ExperimentSpec spec = ExperimentSpecReader.read(specFile);
        out = dir.resolve("out");
        first = compare(spec, out, "flat", 10, new LinkedHashMap<>());
        loopStateAfterFirstRun = Files.readAllBytes(out.resolve("models/loop3/training.json"));
        result = compare(spec, out, "none", 0, startedAt).orElseThrow();
    }

    @Test
    void aCancelledCompareResumesAndKeepsFinishedMembers() throws Exception {
        assertTrue(first.isEmpty(), "the first run was cancelled");
        // loop3 finished in the first run and is not trained again; flat resumes at its step-10 checkpoint
        assertFalse(startedAt.containsKey("loop3"), startedAt.toString());
        assertEquals(10, startedAt.get("flat"));
        assertEquals(0, startedAt.get("deep3"));
        assertEquals(0, startedAt.get("cot"));
        assertArrayEquals(loopStateAfterFirstRun, Files.readAllBytes(out.resolve("models/loop3/training.json")));
        List<String> provenance = result.members().stream().map(MemberResult::provenance).toList();
        assertEquals(List.of("already-trained", "resumed", "trained", "trained"), provenance);
        JsonNode flat = JSON.readTree(out.resolve("models/flat/training.json").toFile());
        assertEquals(20, flat.get("globalStep").asInt());
        assertTrue(Files.isRegularFile(out.resolve("specs/flat.json")));
    }

    @Test
    void membersAreMeasured() {
        MemberResult loop = result.members().get(0);
        MemberResult flat = result.members().get(1);
        MemberResult deep = result.members().get(2);
        MemberResult cot = result.members().get(3);
        assertEquals(3, loop.loops());
        assertEquals(1, loop.layers());
        assertEquals(1, deep.loops());
        assertEquals(3, deep.layers());
        assertEquals(loop.parameters(), flat.parameters());
        assertTrue(deep.parameters() > flat.parameters());
        // the deep model runs the LoopLM's layer applications in distinct layers: the same FLOPs up to
        // the step read-out (final norm 4h and exit gate 2h + 1 per position), which the LoopLM does at
        // each of its 3 steps and the deep model once
        long h = 16;
        assertEquals(2 * (4 * h + 2 * h + 1) * loop.promptTokens(), loop.flopsPerQuestion() - deep.flopsPerQuestion(),
                1e-6);
        assertEquals(1.0, flat.generatedTokens());
        assertTrue(cot.generatedTokens() > 1.0, "the cot member writes its chain before the answer");
        assertTrue(cot.flopsPerQuestion() > flat.flopsPerQuestion());
        assertEquals(2, result.trainedUpTo());
        for (MemberResult m : result.members()) {
            assertEquals(32, m.questions());
            assertTrue(m.secondsPerQuestion() > 0);
            int n = m.byDifficulty().stream().mapToInt(DifficultyAccuracy::questions).sum();
            assertEquals(32, n);
            double weighted = m.byDifficulty().stream().mapToDouble(d -> d.accuracy() * d.questions()).sum() / n;
            assertEquals(m.accuracy(), weighted, 1e-12);
            m.byDifficulty().forEach(d -> assertEquals(d.difficulty() > 2, d.beyondTraining()));
        }
        ExitCurve exit = loop.exitSweep();
        assertNotNull(exit);
        assertNull(flat.exitSweep());
        assertEquals(5, exit.q().length);
        for (int i = 0; i < exit.q().length; i++) {
            assertTrue(exit.flopsPerQuestion()[i] <= loop.flopsPerQuestion() + 1e-6);
        }
    }

    @Test
    void theReportShowsResultsJsonsNumbers() throws Exception {
        JsonNode json = JSON.readTree(out.resolve("results.json").toFile());
        String md = Files.readString(out.resolve("report.md"));
        for (String f : List.of("accuracy-compute", "accuracy-by-difficulty")) {
            for (String ext : List.of("png", "svg", "pdf", "csv")) {
                assertTrue(Files.size(out.resolve("figures/" + f + "." + ext)) > 0, f + "." + ext);
            }
            assertTrue(md.contains("](figures/" + f + ".png)"), f);
        }
        Map<String, String[]> members = rows(md, "## Members");
        Map<String, String[]> difficulty = rows(md, "## Accuracy by difficulty");
        String[] header = headerOf(md, "## Accuracy by difficulty");
        assertEquals(4, members.size());
        for (JsonNode m : json.get("members")) {
            String[] row = members.get(m.get("name").asText());
            assertEquals(m.get("kind").asText(), row[1]);
            assertEquals(m.get("loops").asInt(), Integer.parseInt(row[2]));
            assertEquals(m.get("layers").asInt(), Integer.parseInt(row[3]));
            assertEquals(m.get("parameters").asLong(), Long.parseLong(row[4]));
            assertEquals(ComparisonReport.flops(m.get("flopsPerQuestion").asDouble()), row[5]);
            assertEquals(m.get("flopsPerQuestion").asDouble(), Double.parseDouble(row[5]),
                    m.get("flopsPerQuestion").asDouble() * 5e-5);
            assertEquals(m.get("secondsPerQuestion").asDouble() * 1e3, Double.parseDouble(row[6]), 5e-4);
            assertEquals(m.get("accuracy").asDouble(), Double.parseDouble(row[9]), 5e-4);
            assertEquals(m.get("questions").asInt(), Integer.parseInt(row[10]));
            String[] cells = difficulty.get(m.get("name").asText());
            for (JsonNode d : m.get("byDifficulty")) {
                int col = column(header, d.get("difficulty").asInt(), d.get("beyondTraining").asBoolean());
                assertEquals(ComparisonReport.accuracy(d.get("accuracy").asDouble()) + " (n=" + d.get("questions").asInt()
                        + ")", cells[col]);
            }
        }
        // the Q-exit table of the LoopLM
        JsonNode exit = json.get("members").get(0).get("exitSweep");
        Map<String, String[]> sweep = rows(md, "### Q-exit sweep of loop3");
        assertEquals(exit.get("q").size(), sweep.size());
        for (int i = 0; i < exit.get("q").size(); i++) {
            String[] row = sweep.get(String.format(java.util.Locale.ROOT, "%.2f", exit.get("q").get(i).asDouble()));
            assertEquals(exit.get("accuracy").get(i).asDouble(), Double.parseDouble(row[1]), 5e-4);
            assertEquals(exit.get("meanDepth").get(i).asDouble(), Double.parseDouble(row[2]), 5e-4);
            assertEquals(ComparisonReport.flops(exit.get("flopsPerQuestion").get(i).asDouble()), row[3]);
        }
        assertTrue(md.contains("Not run: no faithfulness suite"), md);
    }

    @Test
    void faithfulnessCurvesAreReportedWhenASuiteGivesThem() throws Exception {
        ComparisonResult withCurves = new ComparisonResult(result.name(), result.task(), result.trainedUpTo(),
                result.costModel(), result.timing(), result.members(), List.of(new FaithfulnessCurveRow("early-exit",
                        "loop3", new double[] {0, 0.5, 1}, new double[] {1, 0.6, 0.2}, new double[] {1, 0.5, 0.1},
                        new double[] {1, 0.7, 0.3}, 0.4125, 32)), "TestSuite");
        Path into = dir.resolve("with-curves");
        ComparisonReport.write(into, withCurves);
        String md = Files.readString(into.resolve("report.md"));
        assertTrue(md.contains("| loop3 | early-exit | 32 | 0.00: 1.000 [1.000, 1.000]; 0.50: 0.600 [0.500, 0.700]; "
                + "1.00: 0.200 [0.100, 0.300] | 0.413 |"), md);
        assertTrue(Files.size(into.resolve("figures/faithfulness.pdf")) > 0);
        assertEquals(0.4125, JSON.readTree(into.resolve("results.json").toFile()).at("/faithfulness/0/areaOverCurve")
                .asDouble());
    }

    /** results.json reads back to the same numbers (the workbench opens reports this way); damage names the field. */
    @Test
    void resultsReadBackExactlyAndAMangledFileNamesTheField() throws Exception {
        ComparisonResult back = ComparisonReport.read(out);
        assertEquals(JSON.writeValueAsString(result), JSON.writeValueAsString(back));
        Path broken = dir.resolve("broken");
        Files.createDirectories(broken);
        Files.writeString(broken.resolve("results.json"), Files.readString(out.resolve("results.json"))
                .replaceFirst("\"parameters\" : \\d+", "\"parameters\" : \"many\""));
        var e = org.junit.jupiter.api.Assertions.assertThrows(org.looplens.engine.InvalidInputException.class,
                () -> ComparisonReport.read(broken));
        assertTrue(e.getMessage().contains("members[0].parameters"), e.getMessage());
        var missing = org.junit.jupiter.api.Assertions.assertThrows(org.looplens.engine.InvalidInputException.class,
                () -> ComparisonReport.read(dir.resolve("nowhere")));
        assertTrue(missing.getMessage().contains("results.json"), missing.getMessage());
    }

    @Test
    void aMemberReusesACheckpointWithItsExactSpecHash() throws Exception {
        Path flatDir = out.resolve("models/flat");
        String reuse = ExperimentSpecReaderTest.SPEC.replace("{\"kind\": \"flat\"}",
                "{\"kind\": \"flat\", \"checkpoint\": \"" + flatDir + "\"}");
        // only the flat member, so nothing else trains
        reuse = reuse.replaceAll("\\{\"kind\": \"loop\", \"loops\": 3\\},\\s*", "")
                .replaceAll(",\\s*\\{\"kind\": \"deep\", \"loops\": 3\\},\\s*\\{\"kind\": \"cot\"\\}", "");
        Path f = dir.resolve("reuse.json");
        Files.writeString(f, reuse);
        Map<String, Integer> started = new LinkedHashMap<>();
        ComparisonResult r = compare(ExperimentSpecReader.read(f), dir.resolve("reuse-out"), "none", 0, started)
                .orElseThrow();
        assertEquals(1, r.members().size());
        assertEquals("reused", r.members().get(0).provenance());
        // recorded relative to the report's folder, so a report names no machine's paths
        assertEquals(Path.of("..", "out", "models", "flat").toString(), r.members().get(0).checkpoint());
        assertTrue(started.isEmpty(), "nothing trained: " + started);
        assertEquals(result.members().get(1).accuracy(), r.members().get(0).accuracy());

        // one step more is another spec: trained into the comparison's own folder instead
        Files.writeString(f, reuse.replace("{\"kind\": \"ce\"}, \"steps\": 20", "{\"kind\": \"ce\"}, \"steps\": 21"));
        ComparisonResult other = compare(ExperimentSpecReader.read(f), dir.resolve("other-out"), "none", 0, started)
                .orElseThrow();
        assertEquals("trained", other.members().get(0).provenance());
        assertEquals(Path.of("models", "flat").toString(), other.members().get(0).checkpoint());
        assertEquals(0, started.get("flat"));
    }

    /** The rows of the first table after {@code heading}, by their first cell. */
    private static Map<String, String[]> rows(String md, String heading) {
        Map<String, String[]> out = new LinkedHashMap<>();
        List<String> lines = tableAfter(md, heading);
        for (String line : lines.subList(2, lines.size())) {
            String[] cells = cells(line);
            out.put(cells[0], cells);
        }
        return out;
    }

    private static String[] headerOf(String md, String heading) {
        return cells(tableAfter(md, heading).get(0));
    }

    private static List<String> tableAfter(String md, String heading) {
        List<String> all = md.lines().toList();
        int i = all.indexOf(heading);
        assertTrue(i >= 0, heading);
        while (!all.get(i).startsWith("|")) {
            i++;
        }
        List<String> table = new ArrayList<>();
        while (i < all.size() && all.get(i).startsWith("|")) {
            table.add(all.get(i++));
        }
        return table;
    }

    private static String[] cells(String line) {
        String[] raw = line.substring(1, line.length() - 1).split("\\|");
        for (int i = 0; i < raw.length; i++) {
            raw[i] = raw[i].trim();
        }
        return raw;
    }

    private static int column(String[] header, int difficulty, boolean beyond) {
        String want = difficulty + (beyond ? "†" : "");
        for (int i = 1; i < header.length; i++) {
            if (header[i].equals(want)) {
                return i;
            }
        }
        throw new AssertionError("no column " + want);
    }
}
