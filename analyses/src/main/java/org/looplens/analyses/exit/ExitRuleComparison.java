package org.looplens.analyses.exit;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.looplens.analyses.lens.StepLens;
import org.looplens.engine.kernels.Kernels;
import org.looplens.engine.model.LoopModel;
import org.looplens.engine.run.ExitPolicy;
import org.looplens.engine.run.RunOptions;

/**
 * Exit rules side by side on a set of questions: each rule's accuracy when it stops, its mean
 * depth, and how often it stops at the same step as the oracle.
 *
 * @param rules     the rules' names
 * @param accuracy  per rule: the answer at its exit step is the label
 * @param meanDepth per rule, in loop steps (1-based)
 * @param agreement per rule: share of questions where it stops where the oracle does
 * @param q         the Q-exit threshold of the gate
 * @param questions how many questions
 */
public record ExitRuleComparison(List<String> rules, double[] accuracy, double[] meanDepth, double[] agreement,
                                 double q, int questions) {

    /**
     * The gate at {@code q}, the oracle, argmax stability, and thresholds on the entropy (nats), on
     * the latent change ‖h_t − h_{t−1}‖ / ‖h_t‖ and on KL(p_t ‖ p_{t−1}) (nats).
     */
    public static List<ExitRule> standardRules(double entropyNats, double latentChange, double stepKlNats) {
        return List.of(new ExitRule.Gate(), new ExitRule.Oracle(), new ExitRule.ArgmaxStable(),
                new ExitRule.EntropyBelow(entropyNats), new ExitRule.LatentChangeBelow(latentChange),
                new ExitRule.StepKlBelow(stepKlNats));
    }

    public static ExitRuleComparison compare(LoopModel model, Kernels kernels, List<Question> questions,
                                             List<ExitRule> rules, double q) {
        if (questions.isEmpty()) {
            throw new IllegalArgumentException("no questions to compare exit rules on");
        }
        RunOptions options = RunOptions.defaults().withExitPolicy(ExitPolicy.qExit(q));
        int n = rules.size();
        double[] correct = new double[n];
        double[] depth = new double[n];
        double[] agree = new double[n];
        ExitRule oracle = new ExitRule.Oracle();
        for (Question question : questions) {
            StepLens lens = StepLens.inspect(model, kernels, question.prompt(), options, 1);
            int last = lens.length() - 1;
            int oracleStep = oracle.exitStep(lens, last);
            for (int r = 0; r < n; r++) {
                int step = rules.get(r).exitStep(lens, last);
                var prediction = lens.readout().positions().get(last).steps().get(step);
                correct[r] += prediction.top1() == question.answer() ? 1 : 0;
                depth[r] += step + 1;
                agree[r] += step == oracleStep ? 1 : 0;
            }
        }
        List<String> names = new ArrayList<>();
        for (int r = 0; r < n; r++) {
            names.add(rules.get(r).name());
            correct[r] /= questions.size();
            depth[r] /= questions.size();
            agree[r] /= questions.size();
        }
        return new ExitRuleComparison(List.copyOf(names), correct, depth, agree, q, questions.size());
    }

    public String toCsv() {
        StringBuilder sb = new StringBuilder("rule,accuracy,mean_depth,agreement_with_oracle\n");
        for (int r = 0; r < rules.size(); r++) {
            sb.append(String.format(Locale.ROOT, "%s,%s,%s,%s%n", rules.get(r), accuracy[r], meanDepth[r], agreement[r]));
        }
        return sb.toString();
    }
}
