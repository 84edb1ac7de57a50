package org.looplens.acceptance;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.looplens.app.cli.LoopLensCli;
import org.looplens.engine.InvalidInputException;
import org.looplens.engine.kernels.CpuKernels;
import org.looplens.engine.model.Checkpoint;
import org.looplens.engine.model.LoopModel;
import org.looplens.engine.run.LoopRunner;
import org.looplens.engine.run.RunOptions;

/**
 * Training and checkpoints when the file system fails: a full disk (a file size limit on the
 * child process), an output folder that cannot be written, and a checkpoint deleted while open.
 */
class CheckpointFaultsTest {
    private static final String SPEC = TinyTrainingRuns.spec("faults", 60);
    /** KiB: below this run's optimizer.safetensors (26 KiB), above every other file it writes. */
    private static final int FILE_SIZE_LIMIT_KIB = 20;

    // Not @TempDir: that folder is private to its owner, and one test runs the CLI as another user.
    private Path tmp;

    @BeforeEach
    void folder() throws IOException {
        tmp = Files.createTempDirectory("looplens-faults", PosixFilePermissions.asFileAttribute(
                PosixFilePermissions.fromString("rwxr-xr-x")));
    }

    @AfterEach
    void clean() throws IOException {
        try (Stream<Path> s = Files.walk(tmp)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                p.toFile().setWritable(true);
                Files.deleteIfExists(p);
            }
        }
    }

    @Test
    void diskFullDuringACheckpointKeepsThePreviousOneAndSaysWhatHappened() throws Exception {
        Path spec = spec();
        Path run = tmp.resolve("run");
        // Up to a complete checkpoint without a limit, then killed, as a run on a filling disk would be.
        Process first = CliProcess.start(List.of(), List.of("train", spec.toString(), "--out", run.toString(), "--quiet"),
                tmp.resolve("out1.txt"), tmp.resolve("err1.txt"));
        Path step10 = run.resolve("checkpoints/step-0000010/training.json");
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
        while (!Files.exists(step10) && first.isAlive() && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        first.destroyForcibly();
        assertTrue(first.waitFor(1, TimeUnit.MINUTES));
        Path previous = TinyTrainingRuns.latestCheckpoint(run).orElseThrow();
        byte[] weights = Files.readAllBytes(previous.resolve("model.safetensors"));
        byte[] moments = Files.readAllBytes(previous.resolve("optimizer.safetensors"));

        // Resumed where no file may grow past the limit: the next checkpoint cannot be written.
        Process limited = limitedFileSize(List.of("train", spec.toString(), "--out", run.toString(), "--quiet"),
                tmp.resolve("out2.txt"), tmp.resolve("err2.txt"));
        assertTrue(limited.waitFor(2, TimeUnit.MINUTES));
        List<String> err = CliProcess.errorLines(tmp.resolve("err2.txt"));
        assertEquals(2, limited.exitValue(), String.join("\n", err));
        assertEquals(1, err.size(), () -> "one line: " + err);
        String line = err.get(0);
        assertTrue(line.startsWith("error: ") && line.contains("cannot write the checkpoint (File too large)")
                && line.contains("the last complete checkpoint, " + previous.getFileName() + ", is kept"), line);

        assertEquals(previous, TinyTrainingRuns.latestCheckpoint(run).orElseThrow());
        assertArrayEquals(weights, Files.readAllBytes(previous.resolve("model.safetensors")));
        assertArrayEquals(moments, Files.readAllBytes(previous.resolve("optimizer.safetensors")));
        Checkpoint.load(previous).close();
        try (Stream<Path> s = Files.list(run.resolve("checkpoints"))) {
            assertEquals(List.of(), s.filter(p -> p.getFileName().toString().startsWith(".")).toList(),
                    "no half-written checkpoint left behind");
        }

        // With room again, the run finishes on the very bits of one never interrupted.
        Path whole = tmp.resolve("whole");
        assertEquals(0, TinyTrainingRuns.train(spec, whole));
        assertEquals(0, TinyTrainingRuns.train(spec, run));
        for (String f : List.of("model.safetensors", "optimizer.safetensors")) {
            assertArrayEquals(Files.readAllBytes(whole.resolve(f)), Files.readAllBytes(run.resolve(f)), f);
        }
    }

    @Test
    void aReadOnlyOutputFolderIsRefusedBeforeTrainingNamingIt() throws Exception {
        Path spec = spec();
        Path run = tmp.resolve("read-only");
        Files.createDirectories(run.resolve("checkpoints"));
        Files.setPosixFilePermissions(run, PosixFilePermissions.fromString("r-xr-xr-x"));
        Process p = asOtherUserIfRoot(List.of("train", spec.toString(), "--out", run.toString(), "--quiet"),
                tmp.resolve("out.txt"), tmp.resolve("err.txt"));
        assertTrue(p.waitFor(2, TimeUnit.MINUTES));
        List<String> err = CliProcess.errorLines(tmp.resolve("err.txt"));
        assertEquals(2, p.exitValue(), String.join("\n", err));
        assertEquals(List.of("error: " + run + ": cannot write in the run folder: Permission denied"), err);
        assertFalse(Files.exists(run.resolve("metrics.jsonl")), "no step was trained");
    }

    @Test
    void aCheckpointDeletedWhileOpenKeepsServingItsMappingAndIsThenNotFound() throws Exception {
        Path dir = RandomCheckpoints.init(tmp.resolve("bf16"), """
                {"vocab_size": 32, "hidden_size": 16, "intermediate_size": 32, "num_hidden_layers": 1,
                 "num_attention_heads": 2, "num_key_value_heads": 1, "total_ut_steps": 2, "max_position_embeddings": 16}
                """, "--dtype", "BF16");
        int[] tokens = {1, 5, 7, 9};
        try (LoopModel model = Checkpoint.loadMapped(dir)) {
            LoopRunner runner = new LoopRunner(model, CpuKernels.shared());
            float[] before = runner.forward(tokens, RunOptions.defaults()).output().data();
            deleteTree(dir);
            assertFalse(Files.exists(dir));
            // Linux keeps an unlinked file's pages while a mapping holds them: the open model still answers, unchanged.
            float[] after = runner.forward(tokens, RunOptions.defaults()).output().data();
            assertArrayEquals(before, after);
        }
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> Checkpoint.loadMapped(dir));
        assertEquals(dir + ": checkpoint folder not found", e.getMessage());
        StringWriter err = new StringWriter();
        assertEquals(2, LoopLensCli.execute(new String[] {"inspect", "--checkpoint", dir.toString(), "--tokens", "1,5"},
                new PrintWriter(new StringWriter()), new PrintWriter(err)));
        assertEquals("error: " + dir + ": checkpoint folder not found", err.toString().strip());
    }

    private Path spec() throws IOException {
        Path spec = tmp.resolve("spec.json");
        Files.writeString(spec, SPEC);
        return spec;
    }

    /** The CLI under {@code ulimit -f}: a write past the limit fails with EFBIG, as on a full disk. */
    private static Process limitedFileSize(List<String> args, Path out, Path err) throws IOException {
        List<String> command = new ArrayList<>(CliProcess.command(List.of("-XX:-UsePerfData"), args));
        String quoted = String.join(" ", command.stream().map(a -> "'" + a.replace("'", "'\\''") + "'").toList());
        return CliProcess.start(new ProcessBuilder("bash", "-c", "ulimit -f " + FILE_SIZE_LIMIT_KIB + "; exec " + quoted),
                out, err);
    }

    /** As root every folder is writable, so the CLI runs as nobody (uid 65534) then. */
    private static Process asOtherUserIfRoot(List<String> args, Path out, Path err) throws IOException {
        List<String> command = new ArrayList<>();
        if ("root".equals(System.getProperty("user.name"))) {
            command.addAll(List.of("setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"));
        }
        command.addAll(CliProcess.command(List.of("-XX:-UsePerfData"), args));
        return CliProcess.start(new ProcessBuilder(command), out, err);
    }

    private static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
