package org.looplens.engine.trace;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Which activations a run records, and at which positions. Memory stays bounded by what is asked:
 * a site that is not selected is never copied, and a position filter copies only those rows.
 */
public final class CapturePlan {
    private static final CapturePlan NONE = new CapturePlan(s -> false, null, "none");

    private final Predicate<Site> sites;
    private final int[] positions;
    private final String description;

    private CapturePlan(Predicate<Site> sites, int[] positions, String description) {
        this.sites = sites;
        this.positions = positions;
        this.description = description;
    }

    /** Records nothing beyond what every run returns (gate values and the exit distribution). */
    public static CapturePlan none() {
        return NONE;
    }

    /** Every site at every position. */
    public static CapturePlan all() {
        return new CapturePlan(s -> true, null, "all");
    }

    /** Every site of the given kinds, at every step and layer. */
    public static CapturePlan kinds(SiteKind... kinds) {
        Set<SiteKind> set = kinds.length == 0 ? EnumSet.noneOf(SiteKind.class) : EnumSet.copyOf(Arrays.asList(kinds));
        return new CapturePlan(s -> set.contains(s.kind()), null, "kinds " + set);
    }

    /** Exactly these sites. */
    public static CapturePlan sites(Set<Site> chosen) {
        Set<Site> copy = Set.copyOf(chosen);
        return new CapturePlan(copy::contains, null, "sites " + copy);
    }

    /** Any sites a predicate accepts. */
    public static CapturePlan matching(Predicate<Site> predicate, String description) {
        return new CapturePlan(predicate, null, description);
    }

    /** The same sites, recorded only at these absolute positions (in the given order). */
    public CapturePlan atPositions(int... chosen) {
        for (int p : chosen) {
            if (p < 0) {
                throw new IllegalArgumentException("negative position " + p);
            }
        }
        return new CapturePlan(sites, chosen.clone(), description + " at positions " + Arrays.toString(chosen));
    }

    /** This plan plus the sites of another (positions of this plan). */
    public CapturePlan plus(CapturePlan other) {
        return new CapturePlan(sites.or(other.sites), positions, description + " + " + other.description);
    }

    public boolean captures(Site site) {
        return sites.test(site);
    }

    /** The chosen absolute positions, or {@code null} for all. */
    public int[] positions() {
        return positions == null ? null : positions.clone();
    }

    @Override
    public String toString() {
        return "CapturePlan(" + description + ")";
    }
}
