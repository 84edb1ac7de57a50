package org.looplens.app.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.looplens.engine.io.DType;
import org.looplens.engine.io.SafetensorsWriter;
import org.looplens.engine.kernels.CpuKernels;
import org.looplens.engine.model.LoopModel;
import org.looplens.engine.run.ExitPolicy;
import org.looplens.engine.run.LoopRunner;
import org.looplens.engine.run.MemoryPlan;
import org.looplens.engine.run.RunOptions;
import org.looplens.engine.run.RunResult;
import org.looplens.engine.trace.CapturePlan;
import org.looplens.engine.trace.SpillFile;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code looplens trace}: every per-step and per-layer intermediate of one sequence, as safetensors. */
@Command(name = "trace", mixinStandardHelpOptions = true,
        description = "Run one sequence through all steps and write every intermediate (F32 safetensors).")
final class TraceCommand implements Callable<Integer> {
    @Mixin
    SequenceOptions sequence;

    @Option(names = "--out", required = true, paramLabel = "FILE", description = "Output .safetensors file.")
    Path out;

    @Option(names = "--memory-budget", paramLabel = "SIZE",
            description = "Memory the run may hold (bytes, or e.g. 512m, 8g; default: the JVM's free heap)."
                    + " Captured activations beyond it spill to a memory-mapped file in --spill-dir;"
                    + " a run whose own buffers exceed it is refused before starting.")
    String memoryBudget;

    @Option(names = "--spill-dir", paramLabel = "DIR",
            description = "Folder for the spill file of captures over the budget (default: the system's temporary"
                    + " folder). The file is unlinked as soon as it is made.")
    Path spillDir;

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter err = spec.commandLine().getErr();
        long budget = memoryBudget == null ? 0 : MemorySize.parse(memoryBudget, "--memory-budget"); // before loading
        LoopModel model = sequence.load(err);
        int[] tokens = sequence.tokens(model);
        RunOptions options = sequence.options()
                .withExitPolicy(ExitPolicy.mixture())
                .withCapture(CapturePlan.all())
                .withMemoryBudget(budget)
                .withSpillDirectory(spillDir);
        LoopRunner runner = new LoopRunner(model, CpuKernels.shared());
        MemoryPlan plan = runner.memoryPlan(java.util.List.of(tokens), options);
        if (plan.spills()) {
            err.println("note: " + plan.describe() + "; spilling to " + options.spillDirectory()
                    + (SpillFile.memoryBacked(options.spillDirectory())
                    ? ", which is kept in memory (tmpfs): give --spill-dir on a disk to save memory" : ""));
        }
        RunResult run = runner.forward(java.util.List.of(tokens), options, plan).get(0);
        var tensors = TraceTensors.sources(model, run);
        try {
            SafetensorsWriter.writeSources(out, tensors, DType.F32,
                    java.util.Map.of("format", "pt", "producer", "looplens trace"));
        } finally {
            run.trace().release();
        }
        spec.commandLine().getOut().printf("wrote %d tensors (%d positions × %d steps) to %s%n",
                tensors.size(), run.length(), run.steps(), out);
        return LoopLensCli.OK;
    }
}
