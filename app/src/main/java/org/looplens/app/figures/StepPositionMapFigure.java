package org.looplens.app.figures;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.jfree.chart.JFreeChart;
import org.looplens.analyses.patching.StepPositionMap;

/** The step × position map of a patching experiment: normalised effect as colour. */
public final class StepPositionMapFigure {
    private StepPositionMapFigure() {}

    public static Figure of(StepPositionMap map) {
        String site = map.kind().name().toLowerCase(Locale.ROOT) + (map.layer() < 0 ? "" : " of layer " + map.layer());
        String title = (map.direction().key().equals("denoise") ? "Restoring clean " : "Corrupting ") + site
                + " at one step × position";
        JFreeChart chart = StepLayerHeatmap.chart(title, "normalised effect", map.effect(), 0, 1, "position");
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("site", map.kind().name().toLowerCase(Locale.ROOT));
        json.put("layer", map.layer());
        json.put("direction", map.direction().key());
        json.put("metric", map.metric());
        json.put("clean_logit_diff", map.cleanDiff());
        json.put("corrupt_logit_diff", map.corruptDiff());
        json.put("logit_diff", map.logitDiff());
        json.put("effect", map.effect());
        json.put("cost", map.cost().toJson());
        return new Figure("patching-positions", chart, map.toCsv(), json);
    }
}
