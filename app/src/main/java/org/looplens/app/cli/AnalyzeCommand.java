package org.looplens.app.cli;

import picocli.CommandLine.Command;

/** {@code looplens analyze KIND}: the analyses of the loop, headless, to JSON, CSV, NumPy or a figure. */
@Command(name = "analyze", mixinStandardHelpOptions = true,
        description = "Analyses of the loop (see 'looplens analyze KIND --help').",
        subcommands = {PromptsCommand.class, LayerLensCommand.class, PatchingCommand.class, AblationCommand.class,
                ExitSweepCommand.class, DepthCommand.class, ExitRulesCommand.class, ExitDepthCommand.class,
                TrajectoriesCommand.class, ProbesCommand.class, SteeringCommand.class})
final class AnalyzeCommand implements Runnable {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
