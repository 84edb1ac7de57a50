package org.looplens.engine.io;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.ThreadLocalRandom;
import org.looplens.engine.InvalidInputException;

/**
 * Writes files so that a reader sees either the old content or the complete new content, never
 * a partial file: the content goes to a temporary file in the same directory, is forced to disk,
 * and then renamed over the target in one atomic step.
 */
public final class AtomicFiles {
    private AtomicFiles() {}

    /**
     * Writes the target through {@code body}. If {@code body} throws, the target is untouched and
     * the temporary file is removed. A directory that cannot be written is reported as
     * {@link InvalidInputException} naming the target; other I/O failures as
     * {@link UncheckedIOException}.
     */
    public static void write(Path target, IOConsumer<OutputStream> body) {
        Path absolute = target.toAbsolutePath();
        Path dir = absolute.getParent();
        String source = target.toString();
        if (Files.isDirectory(absolute)) {
            throw new InvalidInputException(source, "cannot write: is a directory");
        }
        // A random name, not Files.createTempFile: that creates owner-only files, and the
        // renamed file should get the usual permissions.
        Path temp = dir.resolve("." + absolute.getFileName() + "." + Long.toHexString(ThreadLocalRandom.current().nextLong()) + ".tmp");
        boolean moved = false;
        try {
            try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
                    OutputStream out = new BufferedOutputStream(Channels.newOutputStream(channel), 1 << 16)) {
                body.accept(out);
                out.flush();
                channel.force(true);
            }
            Files.move(temp, absolute, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            moved = true;
            syncDirectory(dir);
        } catch (IOException e) {
            throw translate(source, dir, e);
        } finally {
            if (!moved) {
                deleteQuietly(temp);
            }
        }
    }

    /** Writes {@code text} as UTF-8, atomically. */
    public static void writeString(Path target, String text) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        write(target, out -> out.write(bytes));
    }

    private static RuntimeException translate(String source, Path dir, IOException e) {
        if (e instanceof AccessDeniedException) {
            return new InvalidInputException(source, "cannot write: permission denied", e);
        }
        if (e instanceof NoSuchFileException) {
            return new InvalidInputException(source, "cannot write: directory " + dir + " does not exist", e);
        }
        if (e instanceof NotDirectoryException) {
            return new InvalidInputException(source, "cannot write: " + dir + " is not a directory", e);
        }
        if (e instanceof FileSystemException fse && fse.getReason() != null) {
            String reason = fse.getReason();
            if (reason.contains("Read-only")) {
                return new InvalidInputException(source, "cannot write: read-only file system", e);
            }
            if (reason.contains("Not a directory")) {
                return new InvalidInputException(source, "cannot write: " + dir + " is not a directory", e);
            }
        }
        return new UncheckedIOException("cannot write " + source + ": " + e.getMessage(), e);
    }

    /** Makes the rename itself durable; not every platform can open a directory, which is fine. */
    private static void syncDirectory(Path dir) {
        try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException | UnsupportedOperationException e) {
            // The data is already on disk; only the rename's durability is best effort.
        }
    }

    private static void deleteQuietly(Path temp) {
        try {
            Files.deleteIfExists(temp);
        } catch (IOException e) {
            // Nothing better to do: the original failure is what the caller needs to see.
        }
    }
}
