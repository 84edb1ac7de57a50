package org.looplens.app.cli;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import org.looplens.app.workbench.WorkbenchApp;
import picocli.CommandLine.Command;
import picocli.CommandLine.Spec;

/** {@code looplens workbench}: the desktop app; without a display, how to use the CLI instead. */
@Command(name = "workbench", mixinStandardHelpOptions = true,
        description = "Open the LoopLens workbench (the default when looplens is run without a command).")
final class WorkbenchCommand implements Callable<Integer> {
    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        return launch(spec.commandLine().getOut());
    }

    static int launch(PrintWriter out) {
        if (!hasDisplay()) {
            out.println("""
                    No display found, so the LoopLens workbench cannot open here. Everything it shows is
                    also available from the command line, for example:

                      looplens inspect  --checkpoint sample-checkpoints/multihop-loop4 --tokens 32,49,39
                      looplens figure exit-heatmap --checkpoint sample-checkpoints/multihop-loop4 \\
                                        --tokens 32,49,39 --out heatmap.pdf
                      looplens snapshot --view inspector --checkpoint sample-checkpoints/multihop-loop4 \\
                                        --tokens 32,49,39 --out inspector.png
                      looplens train sample-checkpoints/specs/multihop-loop4.json --out runs/mine

                    Run 'looplens --help' for every command.""");
            return LoopLensCli.OK;
        }
        WorkbenchApp.open();
        return LoopLensCli.OK;
    }

    /** An X11 or Wayland display to open windows on (Linux); other systems always have one. */
    static boolean hasDisplay() {
        if (!System.getProperty("os.name", "").toLowerCase(java.util.Locale.ROOT).contains("linux")) {
            return true;
        }
        return notBlank(System.getenv("DISPLAY")) || notBlank(System.getenv("WAYLAND_DISPLAY"));
    }

    private static boolean notBlank(String s) {
        return s != null && !s.isBlank();
    }
}
