package org.looplens.app.figures;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.jfree.chart.JFreeChart;
import org.looplens.analyses.patching.AveragedPatchingMap;

/** A patching map averaged over prompt pairs: the mean effect as colour, its intervals in the data. */
public final class AveragedPatchingMapFigure {
    private AveragedPatchingMapFigure() {}

    public static Figure of(AveragedPatchingMap map) {
        String title = (map.direction().key().equals("denoise") ? "Restoring clean " : "Corrupting ")
                + map.kind().name().toLowerCase(Locale.ROOT) + ", mean over " + map.pairs() + " pairs";
        JFreeChart chart = StepLayerHeatmap.chart(title, "mean normalised effect", map.mean(), 0, 1);
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("site", map.kind().name().toLowerCase(Locale.ROOT));
        json.put("direction", map.direction().key());
        json.put("pairs", map.pairs());
        json.put("skipped_pairs", map.skipped());
        json.put("mean_clean_logit_diff", map.cleanDiff());
        json.put("mean_corrupt_logit_diff", map.corruptDiff());
        json.put("mean_effect", map.mean());
        json.put("ci_lo", map.lo());
        json.put("ci_hi", map.hi());
        json.put("confidence", map.confidence());
        json.put("bootstrap_resamples", map.resamples());
        json.put("seed", map.seed());
        json.put("cost", map.cost().toJson());
        return new Figure("patching-averaged", chart, map.toCsv(), json);
    }
}
