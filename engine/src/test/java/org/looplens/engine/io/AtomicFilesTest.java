package org.looplens.engine.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.looplens.engine.InvalidInputException;

class AtomicFilesTest {
    @TempDir
    Path dir;

    private List<Path> listing() throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.toList();
        }
    }

    @Test
    void writesAndReplaces() throws IOException {
        Path f = dir.resolve("out.json");
        AtomicFiles.writeString(f, "first");
        AtomicFiles.writeString(f, "second");
        assertEquals("second", Files.readString(f));
        assertEquals(List.of(f), listing());
    }

    @Test
    void failureMidwayKeepsTheOldFileAndLeavesNoTemporaryFile() throws IOException {
        Path f = dir.resolve("model.safetensors");
        AtomicFiles.writeString(f, "old content");
        IllegalStateException boom = assertThrows(IllegalStateException.class, () -> AtomicFiles.write(f, out -> {
            out.write(new byte[100_000]); // more than the buffer, so part of it reached the temp file
            throw new IllegalStateException("boom");
        }));
        assertEquals("boom", boom.getMessage());
        assertEquals("old content", Files.readString(f));
        assertEquals(List.of(f), listing());
    }

    @Test
    void ioFailureInTheBodyKeepsTheOldFile() throws IOException {
        Path f = dir.resolve("a.txt");
        AtomicFiles.writeString(f, "old");
        assertThrows(UncheckedIOException.class, () -> AtomicFiles.write(f, out -> {
            out.write("partial".getBytes(StandardCharsets.UTF_8));
            throw new IOException("disk full");
        }));
        assertEquals("old", Files.readString(f));
        assertEquals(List.of(f), listing());
    }

    @Test
    void missingDirectoryIsReportedWithThePath() {
        Path f = dir.resolve("no/such/dir/out.txt");
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> AtomicFiles.writeString(f, "x"));
        assertTrue(e.getMessage().contains("out.txt") && e.getMessage().contains("does not exist"), e.getMessage());
    }

    @Test
    void parentThatIsAFileIsReported() throws IOException {
        Path file = Files.writeString(dir.resolve("plain"), "x");
        InvalidInputException e = assertThrows(InvalidInputException.class,
                () -> AtomicFiles.writeString(file.resolve("out.txt"), "x"));
        assertTrue(e.getMessage().contains("out.txt") && e.getMessage().contains("not a directory"), e.getMessage());
    }

    @Test
    void targetThatIsADirectoryIsReported() {
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> AtomicFiles.writeString(dir, "x"));
        assertTrue(e.getMessage().contains("is a directory"), e.getMessage());
    }
}
