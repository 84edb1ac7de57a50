package org.looplens.app.cli;

import java.util.ArrayList;
import java.util.List;
import org.looplens.engine.InvalidInputException;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;

/**
 * The {@code analyze} subcommands as a catalogue for the workbench: each kind with its options
 * (names, help, defaults) and a way to run it from option values. The workbench builds its
 * settings sheets from the same option declarations the CLI parses, and runs the same code.
 */
public final class Analyses {
    /** Options the workbench supplies itself, or that only make sense on the command line. */
    private static final List<String> SUPPLIED = List.of("--checkpoint", "--out", "--help", "--version");

    private Analyses() {}

    /** What a setting holds, so a sheet can pick an editor. */
    public enum ValueType { TEXT, INTEGER, NUMBER, SWITCH }

    /** One option of an analysis, e.g. {@code --questions} with default "512". */
    public record Setting(String name, String label, String description, String defaultValue, ValueType type,
                          boolean required) {}

    /** One analysis kind: its command name, its one-line description and its settings. */
    public record Kind(String name, String description, List<Setting> settings) {}

    /** Every analysis that produces a figure, in the order {@code looplens analyze --help} lists them. */
    public static List<Kind> kinds() {
        return Catalogue.KINDS;
    }

    /** Read once from the commands' picocli models (by reflection), on first use: they never change. */
    private static final class Catalogue {
        static final List<Kind> KINDS = build();
    }

    private static List<Kind> build() {
        List<Kind> kinds = new ArrayList<>();
        new CommandLine(new AnalyzeCommand()).getSubcommands().forEach((name, sub) -> {
            if (sub.getCommand() instanceof AnalysisCommand) {
                List<Setting> settings = new ArrayList<>();
                for (OptionSpec o : sub.getCommandSpec().options()) {
                    if (!SUPPLIED.contains(o.longestName())) {
                        settings.add(new Setting(o.longestName(), o.paramLabel(), String.join(" ", o.description()),
                                o.defaultValue(), type(o), o.required()));
                    }
                }
                kinds.add(new Kind(name, String.join(" ", sub.getCommandSpec().usageMessage().description()),
                        List.copyOf(settings)));
            }
        });
        return List.copyOf(kinds);
    }

    private static ValueType type(OptionSpec o) {
        Class<?> t = o.type();
        if (t == boolean.class || t == Boolean.class) {
            return ValueType.SWITCH;
        }
        if (t == int.class || t == Integer.class || t == long.class || t == Long.class) {
            return ValueType.INTEGER;
        }
        if (t == double.class || t == Double.class || t == float.class || t == Float.class) {
            return ValueType.NUMBER;
        }
        return ValueType.TEXT;
    }

    /**
     * Runs analysis {@code name} with command-line style {@code args} (without {@code --out});
     * option errors come back as {@link InvalidInputException} naming the option.
     */
    public static AnalysisResult run(String name, List<String> args, CheckpointOpener opener) {
        CommandLine root = new CommandLine(new AnalyzeCommand());
        CommandLine sub = root.getSubcommands().get(name);
        if (sub == null || !(sub.getCommand() instanceof AnalysisCommand analysis)) {
            throw new InvalidInputException("analysis", "'" + name + "' is not an analysis");
        }
        List<String> line = new ArrayList<>(List.of(name));
        line.addAll(args);
        try {
            // Parsed from the parent, as on the command line (picocli expects a parent parse result).
            root.parseArgs(line.toArray(String[]::new));
        } catch (CommandLine.ParameterException e) {
            String option = e.getArgSpec() instanceof OptionSpec o ? o.longestName() : name;
            throw new InvalidInputException(option, e.getMessage());
        }
        return analysis.analyse(opener);
    }
}
