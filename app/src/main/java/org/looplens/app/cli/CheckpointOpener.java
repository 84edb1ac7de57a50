package org.looplens.app.cli;

import java.nio.file.Path;
import org.looplens.app.inspect.OpenCheckpoint;

/**
 * How an analysis gets its checkpoint: the CLI loads the folder (printing its warnings), the
 * workbench hands over the one it already has open.
 */
@FunctionalInterface
public interface CheckpointOpener {
    OpenCheckpoint open(Path dir);
}
