package org.looplens.app.figures;

import java.awt.Color;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.axis.NumberTickUnit;
import org.jfree.chart.block.BlockBorder;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYBlockRenderer;
import org.jfree.chart.title.PaintScaleLegend;
import org.jfree.chart.ui.RectangleEdge;
import org.jfree.data.xy.DefaultXYZDataset;
import org.looplens.analyses.patching.PatchingMap;

/** The step × layer map of a patching experiment: normalised effect as colour. */
public final class PatchingMapFigure {
    private PatchingMapFigure() {}

    public static Figure of(PatchingMap map) {
        int steps = map.steps();
        int layers = map.layers();
        double[][] xyz = new double[3][steps * layers];
        double lo = 0;
        double hi = 1;
        for (int t = 0; t < steps; t++) {
            for (int l = 0; l < layers; l++) {
                int k = t * layers + l;
                xyz[0][k] = l;
                xyz[1][k] = t + 1;
                xyz[2][k] = map.effect()[t][l];
                if (Double.isFinite(xyz[2][k])) {
                    lo = Math.min(lo, xyz[2][k]);
                    hi = Math.max(hi, xyz[2][k]);
                }
            }
        }
        DefaultXYZDataset data = new DefaultXYZDataset();
        data.addSeries("effect", xyz);
        XYBlockRenderer blocks = new XYBlockRenderer();
        Viridis scale = new Viridis(lo, hi);
        blocks.setPaintScale(scale);
        NumberAxis layerAxis = new NumberAxis("layer");
        layerAxis.setTickUnit(new NumberTickUnit(1));
        layerAxis.setRange(-0.5, layers - 0.5);
        NumberAxis stepAxis = new NumberAxis("loop step");
        stepAxis.setTickUnit(new NumberTickUnit(1));
        stepAxis.setRange(0.5, steps + 0.5);
        XYPlot plot = new XYPlot(data, layerAxis, stepAxis, blocks);
        plot.setBackgroundPaint(Color.WHITE);
        plot.setDomainGridlinesVisible(false);
        plot.setRangeGridlinesVisible(false);
        String title = (map.direction().key().equals("denoise") ? "Restoring clean " : "Corrupting ")
                + map.kind().name().toLowerCase(java.util.Locale.ROOT) + " at one step × layer";
        JFreeChart chart = new JFreeChart(title, JFreeChart.DEFAULT_TITLE_FONT, plot, false);
        PaintScaleLegend legend = new PaintScaleLegend(scale, new NumberAxis("normalised effect"));
        legend.setPosition(RectangleEdge.RIGHT);
        legend.setStripWidth(10);
        legend.setMargin(4, 4, 4, 4);
        legend.setFrame(BlockBorder.NONE);
        chart.addSubtitle(legend);
        chart.setBackgroundPaint(Color.WHITE);
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
        return new Figure("patching", chart, map.toCsv(), json);
    }
}
