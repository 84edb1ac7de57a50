package org.looplens.app.figures;

import java.util.Locale;
import org.jfree.chart.JFreeChart;
import org.looplens.analyses.probes.ProbeReport;
import org.looplens.analyses.probes.ProbeSteering;

/** Step × step: how often the answer probes of two loop steps give the same answer on held-out questions. */
public final class AgreementMatrixFigure {
    private AgreementMatrixFigure() {}

    public static Figure of(ProbeReport report, ProbeSteering steering) {
        double[][] m = report.agreement();
        String[][] text = new String[m.length][m.length];
        StringBuilder csv = new StringBuilder("step_s,step_t,agreement\n");
        for (int s = 0; s < m.length; s++) {
            for (int t = 0; t < m.length; t++) {
                text[s][t] = String.format(Locale.ROOT, "%.2f", m[s][t]);
                csv.append(s).append(',').append(t).append(',').append(m[s][t]).append('\n');
            }
        }
        String[] steps = LabelledHeatmap.steps(m.length);
        JFreeChart chart = LabelledHeatmap.chart("Answer probes: agreement between loop steps ("
                + report.agreementQuestions() + " held out)", "agreement", m, steps, "loop step", steps, "loop step",
                text, 0, 1);
        return new Figure("agreement", chart, csv.toString(), ProbeAccuracyFigure.json(report, steering));
    }
}
