package org.looplens.engine.run;

/**
 * Keys and values of one sequence, one slot per (step, layer): in a LoopLM every loop step has its
 * own attention over the same positions, so step t's layer l attends to the keys step t's layer l
 * produced. Keys are stored after the rotary embedding. Grows by doubling.
 */
public final class KvCache {
    private final int steps;
    private final int layers;
    private final int kvDim;
    private float[][] keys;
    private float[][] values;
    private int capacity;
    private int length;

    public KvCache(int steps, int layers, int kvDim, int initialCapacity) {
        this.steps = steps;
        this.layers = layers;
        this.kvDim = kvDim;
        this.capacity = Math.max(1, initialCapacity);
        keys = new float[steps * layers][capacity * kvDim];
        values = new float[steps * layers][capacity * kvDim];
    }

    public int steps() {
        return steps;
    }

    /** Positions already committed. */
    public int length() {
        return length;
    }

    /** Makes room for positions up to {@code total} (exclusive). */
    public void ensureCapacity(int total) {
        if (total <= capacity) {
            return;
        }
        int next = Math.max(total, capacity * 2);
        for (int s = 0; s < keys.length; s++) {
            keys[s] = java.util.Arrays.copyOf(keys[s], next * kvDim);
            values[s] = java.util.Arrays.copyOf(values[s], next * kvDim);
        }
        capacity = next;
    }

    public float[] keys(int step, int layer) {
        return keys[step * layers + layer];
    }

    public float[] values(int step, int layer) {
        return values[step * layers + layer];
    }

    /** Marks {@code count} more positions as filled in every slot. */
    void commit(int count) {
        length += count;
    }
}
