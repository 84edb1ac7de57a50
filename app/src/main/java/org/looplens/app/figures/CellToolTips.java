package org.looplens.app.figures;

import java.util.List;
import java.util.Locale;
import org.jfree.chart.labels.XYToolTipGenerator;
import org.jfree.data.xy.XYDataset;
import org.looplens.analyses.lens.LensQuantity;
import org.looplens.analyses.lens.StepLens;
import org.looplens.analyses.readout.StepPrediction;

/** A heatmap cell's tooltip: the token, the step, the value and that step's top prediction. */
final class CellToolTips implements XYToolTipGenerator {
    private final StepLens lens;
    private final LensQuantity quantity;
    private final List<String> labels;

    CellToolTips(StepLens lens, LensQuantity quantity, List<String> labels) {
        this.lens = lens;
        this.quantity = quantity;
        this.labels = labels;
    }

    @Override
    public String generateToolTip(XYDataset dataset, int series, int item) {
        int position = item / lens.steps();
        int step = item % lens.steps();
        StepPrediction p = lens.readout().positions().get(position).steps().get(step);
        return String.format(Locale.ROOT, "%s (position %d), step %d: %s = %.4g; top-1 token %d (p = %.3f)",
                labels.get(position), lens.firstPosition() + position, step + 1, quantity.unit(),
                lens.value(quantity, position, step), p.top1(), p.top1Prob());
    }
}
