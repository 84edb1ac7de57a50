package org.looplens.app.figures;

import java.util.LinkedHashMap;
import java.util.Map;
import org.jfree.chart.JFreeChart;
import org.looplens.analyses.patching.PatchingMap;

/** The step × layer map of a patching experiment: normalised effect as colour. */
public final class PatchingMapFigure {
    private PatchingMapFigure() {}

    public static Figure of(PatchingMap map) {
        String title = (map.direction().key().equals("denoise") ? "Restoring clean " : "Corrupting ")
                + map.kind().name().toLowerCase(java.util.Locale.ROOT) + " at one step × layer";
        JFreeChart chart = StepLayerHeatmap.chart(title, "normalised effect", map.effect(), 0, 1);
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("site", map.kind().name().toLowerCase(java.util.Locale.ROOT));
        json.put("direction", map.direction().key());
        json.put("positions", map.positions());
        json.put("metric", map.metric());
        json.put("clean_logit_diff", map.cleanDiff());
        json.put("corrupt_logit_diff", map.corruptDiff());
        json.put("logit_diff", map.logitDiff());
        json.put("effect", map.effect());
        json.put("runs", map.runs());
        json.put("seconds", map.seconds());
        json.put("cost", map.cost().toJson());
        return new Figure("patching", chart, map.toCsv(), json);
    }
}
