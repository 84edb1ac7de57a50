package org.looplens.analyses.readout;

import java.util.ArrayList;
import java.util.List;
import org.looplens.engine.run.ExitDistribution;
import org.looplens.engine.run.RunResult;
import org.looplens.engine.trace.Site;
import org.looplens.engine.trace.SiteKind;

/**
 * The per-step readout of a run: for every position and loop step, the top-k next tokens with
 * their probabilities, the entropy of the prediction, λ and p(t). Needs the step logits in the
 * run's capture plan.
 */
public record StepReadout(int steps, List<PositionReadout> positions) {

    public static StepReadout of(RunResult run, int topK) {
        ExitDistribution exit = run.exit();
        List<PositionReadout> rows = new ArrayList<>();
        for (int i = 0; i < run.length(); i++) {
            List<StepPrediction> preds = new ArrayList<>();
            for (int t = 0; t < run.steps(); t++) {
                float[] logits = run.trace().row(Site.step(t, SiteKind.STEP_LOGITS), i); // one row, even when spilled
                preds.add(predict(logits, 0, logits.length, topK, t, run.lambda()[t][i], exit.pdf(i, t)));
            }
            rows.add(new PositionReadout(run.firstPosition() + i, run.tokens()[i], List.copyOf(preds),
                    exit.entropy(i), exit.expectedDepth(i), run.exitSteps()[i]));
        }
        return new StepReadout(run.steps(), List.copyOf(rows));
    }

    static StepPrediction predict(float[] logits, int offset, int vocab, int topK, int step, double lambda,
                                  double exitPdf) {
        double max = Double.NEGATIVE_INFINITY;
        for (int j = 0; j < vocab; j++) {
            max = Math.max(max, logits[offset + j]);
        }
        double[] p = new double[vocab];
        double sum = 0;
        for (int j = 0; j < vocab; j++) {
            p[j] = Math.exp(logits[offset + j] - max);
            sum += p[j];
        }
        double entropy = 0;
        for (int j = 0; j < vocab; j++) {
            p[j] /= sum;
            if (p[j] > 0) {
                entropy -= p[j] * Math.log(p[j]);
            }
        }
        int k = Math.min(topK, vocab);
        int[] top = new int[k];
        double[] topP = new double[k];
        boolean[] taken = new boolean[vocab];
        for (int r = 0; r < k; r++) {
            int best = -1;
            for (int j = 0; j < vocab; j++) {
                if (!taken[j] && (best < 0 || p[j] > p[best])) {
                    best = j;
                }
            }
            taken[best] = true;
            top[r] = best;
            topP[r] = p[best];
        }
        return new StepPrediction(step, top, topP, entropy, lambda, exitPdf);
    }
}
