package org.looplens.app.workbench;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.looplens.engine.config.LoopConfig;

/**
 * The checkpoints that ship with LoopLens, so the workbench has something to show on first start.
 * Found through the {@code looplens.samples.dir} property (the launcher and the packaged app set
 * it), else beside the application jar or the working folder.
 */
public final class SampleCheckpoints {
    static final String FOLDER = "sample-checkpoints";

    private SampleCheckpoints() {}

    public static Optional<Path> folder() {
        String prop = System.getProperty("looplens.samples.dir");
        if (prop != null && !prop.isBlank() && Files.isDirectory(Path.of(prop))) {
            return Optional.of(Path.of(prop));
        }
        for (Path base : candidates()) {
            for (Path p = base; p != null; p = p.getParent()) {
                if (Files.isDirectory(p.resolve(FOLDER))) {
                    return Optional.of(p.resolve(FOLDER));
                }
            }
        }
        return Optional.empty();
    }

    private static List<Path> candidates() {
        Path cwd = Path.of("").toAbsolutePath();
        try {
            Path jar = Path.of(SampleCheckpoints.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            return List.of(jar.toAbsolutePath(), cwd);
        } catch (URISyntaxException | SecurityException | NullPointerException e) {
            return List.of(cwd);
        }
    }

    /** Every checkpoint folder (one with a config.json) directly inside the samples folder, by name. */
    public static List<Path> list() {
        return folder().map(f -> {
            try (Stream<Path> s = Files.list(f)) {
                return s.filter(p -> Files.isRegularFile(p.resolve(LoopConfig.FILE_NAME))).sorted().toList();
            } catch (IOException e) {
                return List.<Path>of();
            }
        }).orElse(List.of());
    }
}
