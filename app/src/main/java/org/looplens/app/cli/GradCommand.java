package org.looplens.app.cli;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.looplens.engine.InvalidInputException;
import org.looplens.engine.io.DType;
import org.looplens.engine.io.SafetensorsWriter;
import org.looplens.engine.kernels.CpuKernels;
import org.looplens.engine.model.LoopModel;
import org.looplens.engine.run.ForwardTape;
import org.looplens.engine.run.LoopRunner;
import org.looplens.engine.run.RunOptions;
import org.looplens.engine.tensor.FloatTensor;
import org.looplens.engine.train.Backprop;
import org.looplens.engine.train.Batch;
import org.looplens.engine.train.LossReport;
import org.looplens.engine.train.Objective;
import org.looplens.engine.train.Parameters;
import org.looplens.engine.train.StageOneObjective;
import org.looplens.engine.train.StageTwoObjective;
import org.looplens.engine.train.StepGradients;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code looplens grad}: the Stage I and Stage II losses of one sequence and their gradients for
 * every parameter, as F32 safetensors (losses are means over positions 0..L−2, natural log).
 */
@Command(name = "grad", mixinStandardHelpOptions = true,
        description = "Write Stage I/II losses and parameter gradients of one sequence (F32 safetensors).")
final class GradCommand implements Callable<Integer> {
    @Mixin
    SequenceOptions sequence;

    @Option(names = "--beta", defaultValue = "0.1", description = "Stage I entropy weight β (default 0.1).")
    double beta;

    @Option(names = "--k", defaultValue = "50", description = "Stage II target sharpness k (default 50).")
    double k;

    @Option(names = "--gamma", defaultValue = "0.005", description = "Stage II improvement threshold γ (default 0.005).")
    double gamma;

    @Option(names = "--out", required = true, paramLabel = "FILE", description = "Output .safetensors file.")
    Path out;

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        LoopModel model = sequence.load(spec.commandLine().getErr());
        int[] tokens = sequence.tokens(model);
        if (tokens.length < 2) {
            throw new InvalidInputException("input", "a gradient needs at least 2 tokens (one prediction)");
        }
        RunOptions options = sequence.options();
        int t = options.resolveSteps(model.config().totalUtSteps());
        Batch batch = Batch.of(List.of(tokens));
        Parameters params = Parameters.of(model);
        Map<String, FloatTensor> tensors = new LinkedHashMap<>();

        LossReport one = lossAndGradients(model, batch, options, t, StageOneObjective.entropy(beta), params);
        tensors.put("stage1.loss", FloatTensor.scalar((float) one.loss()));
        tensors.put("stage1.expected_task_loss", FloatTensor.scalar((float) one.expectedTaskLoss()));
        tensors.put("stage1.entropy_mean", FloatTensor.scalar((float) one.exitEntropy()));
        for (Parameters.Entry e : params.entries()) {
            tensors.put("stage1.grad." + e.name(), new FloatTensor(e.grad().clone(), e.shape()));
        }

        params.zeroGradients();
        LossReport two = lossAndGradients(model, batch, options, t, new StageTwoObjective(k, gamma), params);
        tensors.put("stage2.loss", FloatTensor.scalar((float) two.loss()));
        for (Parameters.Entry e : params.entries()) {
            if (e.isExitGate()) {
                tensors.put("stage2.grad." + e.name(), new FloatTensor(e.grad().clone(), e.shape()));
            }
        }
        SafetensorsWriter.write(out, tensors, DType.F32, Map.of("format", "pt", "producer", "looplens grad"));
        spec.commandLine().getOut().printf("stage1.loss %.6f  stage2.loss %.6f  (%d tensors written to %s)%n",
                one.loss(), two.loss(), tensors.size(), out);
        return LoopLensCli.OK;
    }

    private static LossReport lossAndGradients(LoopModel model, Batch batch, RunOptions options, int steps,
                                               Objective objective, Parameters params) {
        ForwardTape tape = new ForwardTape(model.config(), steps, batch.lengths());
        new LoopRunner(model, CpuKernels.shared()).forward(batch.sequences(), options, tape);
        StepGradients upstream = new StepGradients(steps);
        LossReport report = objective.evaluate(tape, batch, upstream);
        new Backprop(model, CpuKernels.shared()).backward(tape, batch, upstream, params.gradients(),
                objective.trainsLanguageModel());
        return report;
    }
}
