package org.looplens.app.cli;

import java.util.Locale;
import java.util.Map;
import org.looplens.analyses.NpyWriter;
import org.looplens.analyses.exit.ExitRuleComparison;
import org.looplens.app.figures.ExitRulesFigure;
import org.looplens.app.inspect.OpenCheckpoint;
import org.looplens.engine.InvalidInputException;
import org.looplens.engine.kernels.CpuKernels;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code looplens analyze exit-rules}: the learned gate against an oracle and confidence rules. */
@Command(name = "exit-rules", mixinStandardHelpOptions = true,
        description = "The exit gate (Q-exit) against the oracle exit (first step whose answer is final), argmax "
                + "stability and thresholds on the entropy, the latent change and KL between steps: accuracy, mean depth and agreement with the oracle.")
final class ExitRulesCommand extends AnalysisCommand {
    @Mixin
    CheckpointOption checkpoint;

    @Mixin
    QuestionOptions source;

    @Mixin
    QThresholdOption q;

    @Option(names = "--entropy", paramLabel = "NATS", defaultValue = "0.5",
            description = "Threshold of the entropy rule, in nats (default 0.5).")
    double entropy;

    @Option(names = "--latent-change", paramLabel = "X", defaultValue = "0.1",
            description = "Threshold of the latent-change rule on ||h_t - h_{t-1}|| / ||h_t|| (default 0.1).")
    double latentChange;

    @Option(names = "--step-kl", paramLabel = "NATS", defaultValue = "0.01",
            description = "Threshold of the step-KL rule on KL(p_t || p_{t-1}), in nats (default 0.01).")
    double stepKl;


    @Override
    AnalysisResult analyse(CheckpointOpener opener) {
        OpenCheckpoint open = checkpoint.open(opener);
        double threshold = q.resolve(open.model().config());
        if (!(entropy > 0)) {
            throw new InvalidInputException("--entropy", "must be positive, got " + entropy);
        }
        if (!(latentChange > 0)) {
            throw new InvalidInputException("--latent-change", "must be positive, got " + latentChange);
        }
        if (!(stepKl > 0)) {
            throw new InvalidInputException("--step-kl", "must be positive, got " + stepKl);
        }
        ExitRuleComparison c = ExitRuleComparison.compare(open.model(), CpuKernels.shared(), source.load(open),
                ExitRuleComparison.standardRules(entropy, latentChange, stepKl), threshold);
        StringBuilder summary = new StringBuilder();
        for (int r = 0; r < c.rules().size(); r++) {
            summary.append(String.format(Locale.ROOT, "%-20s accuracy %.3f, %.2f steps, agrees with the oracle %.3f%n",
                    c.rules().get(r), c.accuracy()[r], c.meanDepth()[r], c.agreement()[r]));
        }
        return new AnalysisResult(ExitRulesFigure.of(c, open.model().config().totalUtSteps()), Map.of(
                "accuracy", NpyWriter.npy(c.accuracy()),
                "mean_depth", NpyWriter.npy(c.meanDepth()),
                "agreement_with_oracle", NpyWriter.npy(c.agreement())), summary.toString().strip());
    }
}
