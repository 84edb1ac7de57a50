package org.looplens.acceptance;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Starts the packaged {@code looplens} CLI (app/target/looplens-app.jar, built before this module)
 * as a child process, for tests that must kill it, limit its heap or watch it from outside.
 */
final class CliProcess {
    private static final Path ROOT = Path.of(System.getProperty("looplens.root", "../.."));

    private CliProcess() {}

    static Path jar() {
        Path jar = ROOT.resolve("app/target/looplens-app.jar");
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar + " is missing: the app module is packaged before this suite runs");
        }
        return jar;
    }

    /** The command line that runs the CLI with the given JVM options and arguments. */
    static List<String> command(List<String> jvmOptions, List<String> args) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmOptions);
        command.addAll(List.of("--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED",
                "--sun-misc-unsafe-memory-access=allow", "-jar", jar().toString()));
        command.addAll(args);
        return command;
    }

    /** Starts the CLI with the given JVM options and arguments; stdout and stderr go to the files. */
    static Process start(List<String> jvmOptions, List<String> args, Path stdout, Path stderr) throws IOException {
        return start(new ProcessBuilder(command(jvmOptions, args)), stdout, stderr);
    }

    /**
     * Starts a command line that runs the CLI (wrapped, e.g. under {@code ulimit} or another user)
     * as every child here starts: output to the files and, as on a server or in CI, no display,
     * so nothing may depend on one.
     */
    static Process start(ProcessBuilder pb, Path stdout, Path stderr) throws IOException {
        pb.redirectOutput(stdout.toFile()).redirectError(stderr.toFile());
        pb.environment().remove("DISPLAY");
        pb.environment().remove("WAYLAND_DISPLAY");
        return pb.start();
    }

    /** Runs the CLI to completion (at most two minutes) and returns its exit code. */
    static int run(List<String> args, Path stdout, Path stderr) throws IOException, InterruptedException {
        Process p = start(List.of(), args, stdout, stderr);
        if (!p.waitFor(120, java.util.concurrent.TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IllegalStateException("looplens " + args + " did not finish in two minutes");
        }
        return p.exitValue();
    }

    /** stderr lines without the JVM's notice about the incubating Vector API module. */
    static List<String> errorLines(Path stderr) throws IOException {
        return Files.readAllLines(stderr).stream().filter(l -> !l.contains("incubator")).toList();
    }
}
