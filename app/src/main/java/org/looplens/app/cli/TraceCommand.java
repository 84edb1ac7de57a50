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
import org.looplens.engine.run.RunOptions;
import org.looplens.engine.run.RunResult;
import org.looplens.engine.trace.CapturePlan;
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
            description = "Refuse before running if the buffers and captured activations are estimated to need more"
                    + " (bytes, or e.g. 512m, 8g; default: the JVM's maximum heap).")
    String memoryBudget;

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter err = spec.commandLine().getErr();
        if (memoryBudget != null) {
            MemorySize.parse(memoryBudget, "--memory-budget"); // a bad size is refused before loading
        }
        LoopModel model = sequence.load(err);
        int[] tokens = sequence.tokens(model);
        RunOptions options = sequence.options()
                .withExitPolicy(ExitPolicy.mixture())
                .withCapture(CapturePlan.all())
                .withMemoryBudget(memoryBudget == null ? 0 : MemorySize.parse(memoryBudget, "--memory-budget"));
        RunResult run = new LoopRunner(model, CpuKernels.shared()).forward(tokens, options);
        var tensors = TraceTensors.of(model, run);
        SafetensorsWriter.write(out, tensors, DType.F32, java.util.Map.of("format", "pt", "producer", "looplens trace"));
        spec.commandLine().getOut().printf("wrote %d tensors (%d positions × %d steps) to %s%n",
                tensors.size(), run.length(), run.steps(), out);
        return LoopLensCli.OK;
    }
}
