package org.looplens.engine.trace;

import java.util.Arrays;
import java.util.function.Predicate;

/**
 * An intervention that edits rows one at a time, at chosen sites and positions. Every concrete
 * intervention of {@link Interventions} is one of these with a different edit.
 */
final class RowIntervention implements Intervention {
    private final Predicate<Site> sites;
    private final int[] positions; // sorted absolute positions, or null for all
    private final RowEdit edit;
    private final String description;

    RowIntervention(Predicate<Site> sites, int[] positions, RowEdit edit, String description) {
        this.sites = sites;
        this.positions = positions == null ? null : sortedCopy(positions);
        this.edit = edit;
        this.description = description;
    }

    @Override
    public boolean targets(Site site) {
        return sites.test(site);
    }

    @Override
    public void apply(Activation a) {
        for (int head = 0; head < a.heads(); head++) {
            for (int i = 0; i < a.positions(); i++) {
                int pos = a.position(i);
                if (positions != null && Arrays.binarySearch(positions, pos) < 0) {
                    continue;
                }
                float[] row = a.row(head, i);
                edit.edit(row, head, pos);
                a.setRow(head, i, row);
            }
        }
    }

    private static int[] sortedCopy(int[] p) {
        int[] s = p.clone();
        Arrays.sort(s);
        return s;
    }

    @Override
    public String toString() {
        return description;
    }
}
