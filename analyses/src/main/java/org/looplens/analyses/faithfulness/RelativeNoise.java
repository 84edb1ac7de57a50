package org.looplens.analyses.faithfulness;

import java.util.SplittableRandom;
import org.looplens.engine.trace.Activation;
import org.looplens.engine.trace.Intervention;
import org.looplens.engine.trace.Site;

/**
 * Adds Gaussian noise scaled to each row: independent components of standard deviation
 * {@code sigma·‖row‖/√width}, so the noise's expected squared norm is {@code sigma²·‖row‖²} and
 * sigma reads as "noise as a share of the state". Seeded per (question, position): the noise of
 * a question does not depend on its batch. Sequence b of a batch is question {@code firstQuestion + b}.
 */
final class RelativeNoise implements Intervention {
    private final Site site;
    private final double sigma;
    private final long seed;
    private final int firstQuestion;

    RelativeNoise(Site site, double sigma, long seed, int firstQuestion) {
        this.site = site;
        this.sigma = sigma;
        this.seed = seed;
        this.firstQuestion = firstQuestion;
    }

    @Override
    public boolean targets(Site s) {
        return site.equals(s);
    }

    @Override
    public void apply(Activation a) {
        long question = firstQuestion + a.sequence();
        for (int i = 0; i < a.positions(); i++) {
            float[] row = a.row(0, i);
            double norm = 0;
            for (float v : row) {
                norm += (double) v * v;
            }
            double sd = sigma * Math.sqrt(norm / row.length);
            SplittableRandom rng = new SplittableRandom(seed ^ (question * 0x9E3779B97F4A7C15L)
                    ^ (a.position(i) * 0xBF58476D1CE4E5B9L) ^ (site.step() * 0x94D049BB133111EBL));
            for (int j = 0; j < row.length; j++) {
                double u = 1.0 - rng.nextDouble();
                double v = rng.nextDouble();
                row[j] += (float) (sd * Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v));
            }
            a.setRow(0, i, row);
        }
    }

    @Override
    public String toString() {
        return "relative noise " + sigma + " at " + site;
    }
}
