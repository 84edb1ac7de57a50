package org.looplens.app.cli;

import java.io.PrintWriter;
import org.looplens.engine.InvalidInputException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code looplens} command. Exit codes: 0 success, 2 bad input (one line naming the file and
 * the problem; a run too large for the heap counts as one), 1 internal error.
 */
@Command(name = "looplens", mixinStandardHelpOptions = true, version = "LoopLens 0.1.0",
        description = "A workbench for looped language models.",
        subcommands = {WorkbenchCommand.class, InspectCommand.class, AnalyzeCommand.class, FigureCommand.class, SnapshotCommand.class, GenerateCommand.class, TraceCommand.class, GradCommand.class, TrainCommand.class, CompareCommand.class, BenchCommand.class, InitCommand.class})
public final class LoopLensCli implements Runnable {
    public static final int OK = 0;
    public static final int INTERNAL_ERROR = 1;
    public static final int BAD_INPUT = 2;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        // No command: the workbench, or where there is no display, how to use the CLI.
        WorkbenchCommand.launch(spec.commandLine().getOut());
    }

    public static void main(String[] args) {
        System.exit(execute(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
    }

    /** Runs the CLI with the given streams and returns the exit code (for tests and the launcher). */
    public static int execute(String[] args, PrintWriter out, PrintWriter err) {
        CommandLine cli = new CommandLine(new LoopLensCli());
        cli.setOut(out);
        cli.setErr(err);
        cli.setParameterExceptionHandler((ex, a) -> {
            err.println("error: " + ex.getMessage());
            err.println("Try 'looplens " + (ex.getCommandLine().getCommandName().equals("looplens") ? ""
                    : ex.getCommandLine().getCommandName() + " ") + "--help'.");
            return BAD_INPUT;
        });
        cli.setExecutionExceptionHandler((ex, commandLine, parseResult) -> {
            if (ex instanceof InvalidInputException bad) {
                err.println("error: " + bad.getMessage());
                return BAD_INPUT;
            }
            err.println("internal error: " + ex);
            ex.printStackTrace(err);
            return INTERNAL_ERROR;
        });
        int code;
        try {
            code = cli.execute(args);
        } catch (OutOfMemoryError e) {
            // The buffers of the failed run are garbage by now, so there is room to say what happened.
            err.println("error: out of memory; run fewer --steps or tokens, or raise -Xmx");
            code = BAD_INPUT;
        }
        out.flush();
        err.flush();
        return code;
    }
}
