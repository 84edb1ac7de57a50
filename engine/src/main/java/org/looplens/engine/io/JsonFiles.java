package org.looplens.engine.io;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import org.looplens.engine.InvalidInputException;

/**
 * Reading a file the user named, with the errors every reader gives the same way: "file not
 * found", "cannot read: ...", "not valid JSON (...)" — one line, naming the file.
 */
public final class JsonFiles {
    private JsonFiles() {}

    /** The file's bytes. */
    public static byte[] bytes(Path file) {
        String source = file.toString();
        try {
            return Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new InvalidInputException(source, "file not found");
        } catch (AccessDeniedException e) {
            throw new InvalidInputException(source, "cannot read: permission denied");
        } catch (IOException e) {
            throw new InvalidInputException(source, "cannot read: " + e.getMessage());
        }
    }

    /** The file parsed as JSON by {@code mapper} (whose features decide duplicates, trailing tokens...). */
    public static JsonNode tree(Path file, ObjectMapper mapper) {
        byte[] bytes = bytes(file);
        try {
            return mapper.readTree(bytes);
        } catch (JsonProcessingException e) {
            // Jackson's message runs over several lines (the source and location); keep the first.
            throw new InvalidInputException(file.toString(), "not valid JSON ("
                    + e.getOriginalMessage().lines().findFirst().orElse("") + ")");
        } catch (IOException e) {
            throw new InvalidInputException(file.toString(), "cannot read: " + e.getMessage());
        }
    }
}
