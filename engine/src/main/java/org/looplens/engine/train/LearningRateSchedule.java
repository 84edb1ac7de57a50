package org.looplens.engine.train;

/**
 * Linear warmup to the peak rate, then a cosine decay to {@code minRatio × peak} at the last
 * step (or a constant rate after warmup). A pure function of the step, so a resumed run gets the
 * same rates.
 */
public record LearningRateSchedule(double peak, int warmupSteps, int totalSteps, double minRatio, boolean cosine) {

    public double at(int step) {
        if (warmupSteps > 0 && step < warmupSteps) {
            return peak * (step + 1) / warmupSteps;
        }
        if (!cosine || totalSteps <= warmupSteps) {
            return peak;
        }
        double progress = Math.min(1.0, (double) (step - warmupSteps) / Math.max(1, totalSteps - warmupSteps - 1));
        double floor = peak * minRatio;
        return floor + (peak - floor) * 0.5 * (1 + Math.cos(Math.PI * progress));
    }
}
