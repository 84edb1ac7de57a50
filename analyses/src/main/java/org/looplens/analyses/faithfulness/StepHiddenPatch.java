package org.looplens.analyses.faithfulness;

import java.util.List;
import org.looplens.engine.trace.Activation;
import org.looplens.engine.trace.Intervention;
import org.looplens.engine.trace.Site;

/**
 * Replaces one step's hidden state with another run's, sequence by sequence of a batch: sequence
 * b takes rows from {@code sources.get(b)} ({@code [L·hidden]}), at every position or only at its
 * last one. The engine's own patch has one source for the whole batch.
 */
final class StepHiddenPatch implements Intervention {
    private final Site site;
    private final List<float[]> sources;
    private final boolean allPositions;

    StepHiddenPatch(Site site, List<float[]> sources, boolean allPositions) {
        this.site = site;
        this.sources = sources;
        this.allPositions = allPositions;
    }

    @Override
    public boolean targets(Site s) {
        return site.equals(s);
    }

    @Override
    public void apply(Activation a) {
        float[] source = sources.get(a.sequence());
        int w = a.width();
        int length = source.length / w;
        for (int i = 0; i < a.positions(); i++) {
            int pos = a.position(i);
            if (allPositions || pos == length - 1) {
                float[] row = new float[w];
                System.arraycopy(source, pos * w, row, 0, w);
                a.setRow(0, i, row);
            }
        }
    }

    @Override
    public String toString() {
        return "patch " + site + (allPositions ? " at every position" : " at the last position") + " per sequence";
    }
}
