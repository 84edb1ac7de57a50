package org.looplens.engine.trace;

import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.function.Predicate;
import org.looplens.engine.tensor.FloatTensor;

/**
 * The standard interventions: patch, zero, mean, steer, scale, noise. Each acts at one site (or
 * every site a predicate accepts) and at chosen absolute positions ({@code null} = all).
 */
public final class Interventions {
    private Interventions() {}

    /**
     * Replaces the activation by a recorded one: row p of {@code source} (captured at all
     * positions of another, or the same, run) replaces position p. For attention probabilities
     * the source is {@code [heads, L, keys]}.
     */
    public static Intervention patch(Site site, FloatTensor source, int... positions) {
        return new RowIntervention(site::equals, orNull(positions), (row, head, pos) -> {
            int rows = source.rank() == 3 ? source.dim(1) : source.dim(0);
            int width = source.rank() == 1 ? 1 : source.dim(source.rank() - 1);
            if (pos >= rows) {
                throw new IllegalArgumentException("patch source for " + site + " has " + rows
                        + " positions; position " + pos + " is missing");
            }
            if (width < row.length) {
                throw new IllegalArgumentException("patch source for " + site + " has width " + width
                        + ", the site has " + row.length);
            }
            System.arraycopy(source.data(), (head * rows + pos) * width, row, 0, row.length);
        }, "patch " + site);
    }

    /** Sets the activation to zero. */
    public static Intervention zero(Site site, int... positions) {
        return zero(site::equals, positions);
    }

    public static Intervention zero(Predicate<Site> sites, int... positions) {
        return new RowIntervention(sites, orNull(positions), (row, head, pos) -> Arrays.fill(row, 0f), "zero");
    }

    /** Replaces the activation by a fixed vector, e.g. its mean over a data set (mean ablation). */
    public static Intervention mean(Site site, float[] mean, int... positions) {
        return new RowIntervention(site::equals, orNull(positions),
                (row, head, pos) -> System.arraycopy(checked(site, mean, row), 0, row, 0, row.length),
                "mean " + site);
    }

    /** Adds {@code strength × direction} (steering). */
    public static Intervention add(Site site, float[] direction, float strength, int... positions) {
        return new RowIntervention(site::equals, orNull(positions), (row, head, pos) -> {
            checked(site, direction, row);
            for (int i = 0; i < row.length; i++) {
                row[i] += strength * direction[i];
            }
        }, "add " + strength + " x direction at " + site);
    }

    /** Multiplies the activation by a factor. */
    public static Intervention scale(Site site, float factor, int... positions) {
        return new RowIntervention(site::equals, orNull(positions), (row, head, pos) -> {
            for (int i = 0; i < row.length; i++) {
                row[i] *= factor;
            }
        }, "scale " + factor + " at " + site);
    }

    /** Adds Gaussian noise of standard deviation sigma, reproducibly for a seed. */
    public static Intervention noise(Site site, float sigma, long seed, int... positions) {
        return new RowIntervention(site::equals, orNull(positions), (row, head, pos) -> {
            // Seeded per (head, position) so the noise does not depend on batching or decoding order.
            SplittableRandom rng = new SplittableRandom(seed ^ (pos * 0x9E3779B97F4A7C15L) ^ (head * 0xBF58476D1CE4E5B9L));
            for (int i = 0; i < row.length; i++) {
                double u = 1.0 - rng.nextDouble();
                double v = rng.nextDouble();
                row[i] += (float) (sigma * Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v));
            }
        }, "noise " + sigma + " at " + site);
    }

    private static float[] checked(Site site, float[] vector, float[] row) {
        if (vector.length != row.length) {
            throw new IllegalArgumentException("vector for " + site + " has length " + vector.length
                    + ", the site has width " + row.length);
        }
        return vector;
    }

    private static int[] orNull(int[] positions) {
        return positions == null || positions.length == 0 ? null : positions;
    }
}
