package org.looplens.acceptance;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.looplens.engine.io.SafetensorsFile;
import org.looplens.engine.model.Checkpoint;

/**
 * {@code looplens train} killed with SIGKILL mid-run and started again on the same folder reaches
 * bit for bit the weights, optimiser state and logged metrics of a run that was never interrupted;
 * and whenever it is killed, the newest checkpoint left behind loads.
 */
class KillAndResumeTest {
    private static final String SPEC = TinyTrainingRuns.spec("kill-resume", 400);

    @TempDir
    Path tmp;

    @Test
    void killedRunResumesToTheSameBits() throws Exception {
        Path spec = tmp.resolve("spec.json");
        Files.writeString(spec, SPEC);
        Path whole = tmp.resolve("whole");
        assertEquals(0, TinyTrainingRuns.train(spec, whole));

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

        assertEquals(0, TinyTrainingRuns.train(spec, killed));
        for (String f : List.of("model.safetensors", "optimizer.safetensors")) {
            assertArrayEquals(Files.readAllBytes(whole.resolve(f)), Files.readAllBytes(killed.resolve(f)), f);
        }
    }

    /** The same run, shorter, killed at 20 moments drawn from a fixed seed. */
    private static final String SHORT_SPEC = SPEC.replace("\"steps\": 400", "\"steps\": 120");
    private static final int KILLS = 20;
    private static final long KILL_SEED = 20_261_129L;

    @Test
    void killedAtRandomMomentsEveryCheckpointLoadsAndEveryResumeIsBitExact() throws Exception {
        Path spec = tmp.resolve("short.json");
        Files.writeString(spec, SHORT_SPEC);
        // The reference is a child run too: how long it trains bounds the moments to kill at.
        Path whole = tmp.resolve("whole");
        Process reference = CliProcess.start(List.of(), List.of("train", spec.toString(), "--out", whole.toString(),
                "--quiet"), tmp.resolve("whole-out.txt"), tmp.resolve("whole-err.txt"));
        long trainingStarted = awaitTraining(reference, whole);
        assertTrue(reference.waitFor(3, TimeUnit.MINUTES));
        assertEquals(0, reference.exitValue());
        long trainingMillis = (System.nanoTime() - trainingStarted) / 1_000_000;
        List<String> wholeMetrics = metricsWithoutTimings(whole);

        Random random = new Random(KILL_SEED);
        int killedMidRun = 0;
        int checkpointsLoaded = 0;
        List<String> corrupt = new ArrayList<>();
        for (int i = 0; i < KILLS; i++) {
            Path run = tmp.resolve("killed-" + i);
            long delay = random.nextLong(trainingMillis);
            Process child = CliProcess.start(List.of(), List.of("train", spec.toString(), "--out", run.toString(), "--quiet"),
                    tmp.resolve("out-" + i + ".txt"), tmp.resolve("err-" + i + ".txt"));
            awaitTraining(child, run);
            boolean finished = child.waitFor(delay, TimeUnit.MILLISECONDS);
            if (!finished) {
                child.destroyForcibly(); // SIGKILL
                assertTrue(child.waitFor(1, TimeUnit.MINUTES));
                killedMidRun++;
            }
            Optional<Path> latest = TinyTrainingRuns.latestCheckpoint(run);
            if (latest.isPresent()) {
                // What a resume reads: the weights, the optimiser moments and the state.
                try (var model = Checkpoint.load(latest.get());
                        SafetensorsFile f = SafetensorsFile.open(latest.get().resolve("optimizer.safetensors"))) {
                    f.names().forEach(f::readFloats);
                    new ObjectMapper().readTree(latest.get().resolve("training.json").toFile()).get("globalStep").asInt();
                    checkpointsLoaded++;
                } catch (RuntimeException | IOException e) {
                    corrupt.add(latest.get() + ": " + e);
                }
            }
            assertEquals(0, TinyTrainingRuns.train(spec, run));
            for (String f : List.of("model.safetensors", "optimizer.safetensors")) {
                assertArrayEquals(Files.readAllBytes(whole.resolve(f)), Files.readAllBytes(run.resolve(f)),
                        f + " after a kill at " + delay + " ms");
            }
            assertEquals(wholeMetrics, metricsWithoutTimings(run), "metrics after a kill at " + delay + " ms");
        }
        // Reached only when every resume ended on the uninterrupted run's bits (asserted above).
        System.out.printf("reliability: kill-and-resume: %d runs, %d killed mid-run, %d newest checkpoints loaded,"
                + " %d corrupt, every resume bit-exact%n", KILLS, killedMidRun, checkpointsLoaded, corrupt.size());
        assertEquals(List.of(), corrupt);
        assertTrue(killedMidRun >= KILLS / 2, "most kills should land mid-run, got " + killedMidRun);
    }

    /** Waits until the run has set up its folder, just before its first step; returns when, in nanoseconds. */
    private static long awaitTraining(Process child, Path run) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
        while (!Files.isDirectory(run.resolve("checkpoints")) && child.isAlive() && System.nanoTime() < deadline) {
            Thread.sleep(2);
        }
        return System.nanoTime();
    }

    /** The logged metrics of a run, less the fields that measure wall time. */
    private static List<String> metricsWithoutTimings(Path run) throws IOException {
        ObjectMapper json = new ObjectMapper();
        List<String> out = new ArrayList<>();
        for (String line : Files.readAllLines(run.resolve("metrics.jsonl"))) {
            ObjectNode n = (ObjectNode) json.readTree(line);
            n.remove(List.of("tokensPerSecond", "elapsedSeconds", "etaSeconds"));
            out.add(n.toString());
        }
        return out;
    }
}
