package org.looplens.app.workbench;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import org.looplens.engine.io.AtomicFiles;

/**
 * What the workbench remembers between starts: recent checkpoints, the window's place and size,
 * the theme, the inspector's memory budget. Kept as JSON in the user's config folder ({@code $XDG_CONFIG_HOME/looplens}, or the
 * folder named by the {@code looplens.config.dir} property). A file that cannot be read is moved
 * aside to {@code workbench.json.unreadable}, not overwritten, and the defaults are used.
 */
public final class WorkbenchSettings {
    static final String FILE = "workbench.json";
    private static final int MAX_RECENT = 10;
    private static final ObjectMapper JSON = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false)
            .enable(SerializationFeature.INDENT_OUTPUT);

    /** The saved values; public fields so Jackson maps them without ceremony. */
    public static final class Values {
        public List<String> recentCheckpoints = new ArrayList<>();
        public double x = Double.NaN;
        public double y = Double.NaN;
        public double width = 1280;
        public double height = 800;
        public boolean maximized;
        public String theme = "light";
        public double divider = 0.22;
        /** The inspector's memory budget as typed ("": the free heap). */
        public String memoryBudget = "";
    }

    private final Path file;
    private final Values values;

    private WorkbenchSettings(Path file, Values values) {
        this.file = file;
        this.values = values;
    }

    public static Path defaultFolder() {
        String override = System.getProperty("looplens.config.dir");
        if (override != null && !override.isBlank()) {
            return Path.of(override);
        }
        String xdg = System.getenv("XDG_CONFIG_HOME");
        Path base = xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".config");
        return base.resolve("looplens");
    }

    public static WorkbenchSettings load(Path folder) {
        Path file = folder.resolve(FILE);
        if (!Files.isRegularFile(file)) {
            return new WorkbenchSettings(file, new Values());
        }
        try {
            Values v = JSON.readValue(file.toFile(), Values.class);
            return new WorkbenchSettings(file, v == null ? new Values() : sane(v));
        } catch (IOException e) {
            try {
                Files.move(file, folder.resolve(FILE + ".unreadable"), StandardCopyOption.REPLACE_EXISTING);
            } catch (IOException ignored) {
                // left where it is; the next save replaces it atomically
            }
            return new WorkbenchSettings(file, new Values());
        }
    }

    /**
     * The values with every field the window cannot use (null, not finite, out of range, as a
     * hand-edited or damaged file may hold) replaced by its default, so settings never stop a start.
     */
    private static Values sane(Values v) {
        Values d = new Values();
        v.recentCheckpoints = v.recentCheckpoints == null ? d.recentCheckpoints
                : new ArrayList<>(v.recentCheckpoints.stream().filter(p -> p != null).limit(MAX_RECENT).toList());
        v.x = Double.isFinite(v.x) ? v.x : d.x;
        v.y = Double.isFinite(v.y) ? v.y : d.y;
        v.width = Double.isFinite(v.width) && v.width > 0 ? v.width : d.width;
        v.height = Double.isFinite(v.height) && v.height > 0 ? v.height : d.height;
        v.theme = v.theme == null ? d.theme : v.theme;
        v.divider = v.divider >= 0 && v.divider <= 1 ? v.divider : d.divider;
        return v;
    }

    /** Defaults that are never written anywhere (snapshots, tests). */
    public static WorkbenchSettings inMemory() {
        return new WorkbenchSettings(null, new Values());
    }

    public Values values() {
        return values;
    }

    /** Puts a checkpoint folder first in the recent list. */
    public void remember(Path checkpoint) {
        String p = checkpoint.toAbsolutePath().normalize().toString();
        values.recentCheckpoints.remove(p);
        values.recentCheckpoints.add(0, p);
        while (values.recentCheckpoints.size() > MAX_RECENT) {
            values.recentCheckpoints.remove(values.recentCheckpoints.size() - 1);
        }
    }

    /** Writes the settings atomically; a failure is reported, never fatal. */
    public void save() throws IOException {
        if (file == null) {
            return;
        }
        Files.createDirectories(file.getParent());
        AtomicFiles.writeString(file, JSON.writeValueAsString(values));
    }
}
