package org.looplens.app.figures;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jfree.chart.JFreeChart;
import org.looplens.analyses.probes.ProbeGrid;
import org.looplens.analyses.probes.ProbeReport;
import org.looplens.analyses.probes.ProbeSteering;

/**
 * Held-out probe accuracy per (hop count, probed hop) × loop step as colour, each cell also
 * giving accuracy and control-task accuracy in percent, so selectivity reads off the figure.
 */
public final class ProbeAccuracyFigure {
    private ProbeAccuracyFigure() {}

    /** {@code steering} (may be null) is the causal check of the answer probes, kept with the numbers. */
    public static Figure of(ProbeReport report, ProbeSteering steering) {
        List<double[]> rows = new ArrayList<>();
        List<String[]> text = new ArrayList<>();
        List<String> labels = new ArrayList<>();
        for (ProbeGrid g : report.groups()) {
            for (int r = 0; r < g.targetHops().length; r++) {
                int hop = g.targetHops()[r];
                labels.add(g.hops() + "-hop: " + (hop == g.hops() ? "answer" : "hop " + hop));
                rows.add(g.accuracy()[r]);
                String[] cells = new String[g.steps()];
                for (int t = 0; t < cells.length; t++) {
                    cells[t] = String.format(Locale.ROOT, "%.0f/%.0f", 100 * g.accuracy()[r][t], 100 * g.control()[r][t]);
                }
                text.add(cells);
            }
        }
        JFreeChart chart = LabelledHeatmap.chart("Linear probes per loop step (cells: accuracy/control, %)",
                "probe accuracy", rows.toArray(double[][]::new), labels.toArray(String[]::new), "questions: probed entity",
                LabelledHeatmap.steps(report.steps()), "loop step", text.toArray(String[][]::new), 0, 1);
        return new Figure("probes", chart, report.toCsv(), json(report, steering));
    }

    static Map<String, Object> json(ProbeReport report, ProbeSteering steering) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("target", report.target().key());
        json.put("steps", report.steps());
        json.put("train_fraction", report.trainFraction());
        json.put("seed", report.seed());
        List<Map<String, Object>> groups = new ArrayList<>();
        for (ProbeGrid g : report.groups()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("hops", g.hops());
            m.put("train_questions", g.trainQuestions());
            m.put("test_questions", g.testQuestions());
            m.put("model_accuracy", g.modelAccuracy());
            m.put("target_hops", g.targetHops());
            m.put("accuracy", g.accuracy());
            m.put("control", g.control());
            m.put("selectivity", g.selectivity());
            m.put("shuffled", g.shuffled());
            m.put("agreement", g.agreement());
            groups.add(m);
        }
        json.put("groups", groups);
        json.put("agreement", report.agreement());
        json.put("agreement_questions", report.agreementQuestions());
        if (steering != null) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("step", steering.step());
            m.put("strengths", steering.strengths());
            m.put("became_target", steering.becameTarget());
            m.put("target_prob_change", steering.targetProbChange());
            m.put("probe_accuracy", steering.probeAccuracy());
            m.put("questions", steering.questions());
            m.put("scale", steering.scale());
            json.put("steering", m);
        }
        return json;
    }
}
