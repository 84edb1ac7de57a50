package org.looplens.analyses.probes;

import java.util.List;
import java.util.Locale;

/**
 * Linear probes at every loop step, per hop count, with the cross-step agreement of the answer
 * probes over all held-out questions.
 *
 * @param target        what was probed
 * @param steps         loop steps run
 * @param trainFraction share of each group's questions the probes were fitted on
 * @param seed          the seed of the folds, the control task and the shuffles
 * @param groups        one grid per hop count, ascending
 * @param agreement     [step][step] agreement of answer probes fitted on all hop counts together
 * @param agreementQuestions held-out questions behind {@code agreement}
 */
public record ProbeReport(ProbeTarget target, int steps, double trainFraction, long seed, List<ProbeGrid> groups,
                          double[][] agreement, int agreementQuestions) {

    /** One row per (hop count, probed hop, step), steps 0-based. */
    public String toCsv() {
        StringBuilder sb = new StringBuilder("hops,target_hop,step,accuracy,control,selectivity,shuffled,train,test\n");
        for (ProbeGrid g : groups) {
            double[][] sel = g.selectivity();
            for (int r = 0; r < g.targetHops().length; r++) {
                for (int t = 0; t < g.steps(); t++) {
                    sb.append(String.format(Locale.ROOT, "%d,%d,%d,%s,%s,%s,%s,%d,%d%n", g.hops(), g.targetHops()[r], t,
                            g.accuracy()[r][t], g.control()[r][t], sel[r][t], g.shuffled()[r][t], g.trainQuestions(),
                            g.testQuestions()));
                }
            }
        }
        return sb.toString();
    }
}
