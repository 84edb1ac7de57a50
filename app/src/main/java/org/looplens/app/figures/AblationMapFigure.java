package org.looplens.app.figures;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.jfree.chart.JFreeChart;
import org.looplens.analyses.patching.AblationMap;

/** A step × layer ablation map: the change of the logit difference as colour. */
public final class AblationMapFigure {
    private AblationMapFigure() {}

    public static Figure of(AblationMap map) {
        String title = map.method().key().substring(0, 1).toUpperCase(Locale.ROOT) + map.method().key().substring(1)
                + " ablation of " + map.kind().name().toLowerCase(Locale.ROOT) + " at one step × layer";
        JFreeChart chart = StepLayerHeatmap.chart(title, "Δ logit difference", map.diffChange(), 0, 1e-9);
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("site", map.kind().name().toLowerCase(Locale.ROOT));
        json.put("method", map.method().key());
        json.put("metric", map.metric());
        json.put("pool", map.pool());
        json.put("resamples", map.resamples());
        json.put("base_logit_diff", map.baseDiff());
        json.put("base_answer_prob", map.baseProb());
        json.put("logit_diff", map.logitDiff());
        json.put("delta_logit_diff", map.diffChange());
        json.put("answer_prob", map.answerProb());
        json.put("cost", map.cost().toJson());
        return new Figure("ablation", chart, map.toCsv(), json);
    }
}
