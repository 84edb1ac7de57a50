package org.looplens.app.figures;

import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.block.BlockBorder;
import org.jfree.chart.renderer.PaintScale;
import org.jfree.chart.title.PaintScaleLegend;
import org.jfree.chart.ui.RectangleEdge;

/** The colour bar at the right of every heatmap, drawn the same way everywhere. */
final class ColourLegend {
    private ColourLegend() {}

    static void addTo(JFreeChart chart, PaintScale scale, NumberAxis axis, int stripWidth) {
        PaintScaleLegend legend = new PaintScaleLegend(scale, axis);
        legend.setPosition(RectangleEdge.RIGHT);
        legend.setStripWidth(stripWidth);
        legend.setMargin(4, 4, 4, 4);
        legend.setFrame(BlockBorder.NONE);
        chart.addSubtitle(legend);
    }
}
