package org.looplens.engine.trace;

/**
 * A window onto the activation at one site for one sequence of a run: rows are positions (for
 * {@link SiteKind#ATTN_PROBS}, rows are (head, query) pairs, head-major), columns the features.
 * Interventions read and write through it; writes go straight into the running computation.
 */
public final class Activation {
    private final Site site;
    private final int sequence;
    private final float[] data;
    private final int offset;
    private final int positions;
    private final int width;
    private final int heads;
    private final int firstPosition;
    private final int rowStride;

    /**
     * @param heads         1, or the number of heads for attention probabilities
     * @param firstPosition the absolute position of the first row (non-zero while decoding)
     * @param rowStride     distance between consecutive rows in {@code data}
     */
    public Activation(Site site, int sequence, float[] data, int offset, int positions, int width, int heads,
                      int firstPosition, int rowStride) {
        this.site = site;
        this.sequence = sequence;
        this.data = data;
        this.offset = offset;
        this.positions = positions;
        this.width = width;
        this.heads = heads;
        this.firstPosition = firstPosition;
        this.rowStride = rowStride;
    }

    public Site site() {
        return site;
    }

    /** Index of the sequence within the batch. */
    public int sequence() {
        return sequence;
    }

    /** Number of positions held (the query positions for attention probabilities). */
    public int positions() {
        return positions;
    }

    /** Features per row. */
    public int width() {
        return width;
    }

    /** 1 for per-position sites; the head count for attention probabilities. */
    public int heads() {
        return heads;
    }

    /** Absolute position of local row {@code i} (within a head). */
    public int position(int i) {
        return firstPosition + i;
    }

    public int firstPosition() {
        return firstPosition;
    }

    /** Value at (head, local position, column); head is 0 for per-position sites. */
    public float get(int head, int pos, int col) {
        return data[index(head, pos, col)];
    }

    public void set(int head, int pos, int col, float value) {
        data[index(head, pos, col)] = value;
    }

    public float get(int pos, int col) {
        return get(0, pos, col);
    }

    public void set(int pos, int col, float value) {
        set(0, pos, col, value);
    }

    /** A copy of one row. */
    public float[] row(int head, int pos) {
        float[] r = new float[width];
        System.arraycopy(data, index(head, pos, 0), r, 0, width);
        return r;
    }

    /** Overwrites one row. */
    public void setRow(int head, int pos, float[] values) {
        if (values.length != width) {
            throw new IllegalArgumentException(site + ": row has width " + width + ", got " + values.length);
        }
        System.arraycopy(values, 0, data, index(head, pos, 0), width);
    }

    private int index(int head, int pos, int col) {
        return offset + (head * positions + pos) * rowStride + col;
    }
}
