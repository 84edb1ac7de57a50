package org.looplens.engine.train;

import java.util.List;
import org.looplens.engine.InvalidInputException;

/**
 * Training sequences packed row after row, with a loss mask: {@code lossMask[r]} says whether
 * packed row r's next-token prediction (of the token at row r+1 of the same sequence) counts.
 * The last position of a sequence never counts: it has no target.
 */
public final class Batch {
    private final List<int[]> sequences;
    private final int[] lengths;
    private final int[] targets;
    private final boolean[] lossMask;
    private final int counted;

    private Batch(List<int[]> sequences, List<boolean[]> masks) {
        this.sequences = List.copyOf(sequences);
        lengths = new int[sequences.size()];
        int rows = 0;
        for (int b = 0; b < sequences.size(); b++) {
            lengths[b] = sequences.get(b).length;
            rows += lengths[b];
        }
        targets = new int[rows];
        lossMask = new boolean[rows];
        int r = 0;
        int count = 0;
        for (int b = 0; b < sequences.size(); b++) {
            int[] s = sequences.get(b);
            boolean[] m = masks == null ? null : masks.get(b);
            if (m != null && m.length < s.length - 1) {
                throw new InvalidInputException("batch", "loss mask of sequence " + b + " has " + m.length
                        + " entries for " + s.length + " tokens");
            }
            for (int i = 0; i < s.length; i++, r++) {
                boolean counts = i < s.length - 1 && (m == null || m[i]);
                lossMask[r] = counts;
                targets[r] = counts ? s[i + 1] : -1;
                if (counts) {
                    count++;
                }
            }
        }
        counted = count;
    }

    /** Every next-token prediction counts (plain language modelling). */
    public static Batch of(List<int[]> sequences) {
        return new Batch(sequences, null);
    }

    /** Only positions whose mask entry is true count; {@code masks.get(b)[i]} is for position i. */
    public static Batch of(List<int[]> sequences, List<boolean[]> masks) {
        return new Batch(sequences, masks);
    }

    public List<int[]> sequences() {
        return sequences;
    }

    public int[] lengths() {
        return lengths.clone();
    }

    public int rows() {
        return targets.length;
    }

    /** The target token of packed row r, or −1 if the row does not count. */
    public int target(int r) {
        return targets[r];
    }

    public boolean counts(int r) {
        return lossMask[r];
    }

    /** Number of rows whose loss counts; losses are means over them. */
    public int countedRows() {
        return counted;
    }

    /** The packed token of row r. */
    public int token(int r) {
        int b = 0;
        while (r >= lengths[b]) {
            r -= lengths[b++];
        }
        return sequences.get(b)[r];
    }
}
