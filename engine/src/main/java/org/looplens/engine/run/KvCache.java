package org.looplens.engine.run;

import java.util.Arrays;

/**
 * Keys and values of one sequence. Under {@link KvSharing#FULL} there is one slot per (step,
 * layer): in a LoopLM every loop step has its own attention over the same positions, so step t's
 * layer l attends to the keys step t's layer l produced. Under a shared mode there is one slot
 * per layer, read by every step (see {@link KvSharing} for which keys it holds). Keys are stored
 * after the rotary embedding. Grows by doubling.
 *
 * <p>While a call runs, {@link #put} writes each step's keys and values of the new positions
 * into the slot the attention then reads, so those positions always see their own step's; a
 * shared cache also folds them into a small per-call buffer, and {@link #commit} writes the
 * shared value (first step's, or the mean) over them.
 */
public final class KvCache {
    private final int steps;
    private final int layers;
    private final int kvDim;
    private final KvSharing sharing;
    private final float[][] keys;
    private final float[][] values;
    /** Per layer, the FIRST_STEP / MEAN value of the positions of the running call. */
    private final float[][] pendingKeys;
    private final float[][] pendingValues;
    private int capacity;
    private int length;

    public KvCache(int steps, int layers, int kvDim, int initialCapacity) {
        this(steps, layers, kvDim, initialCapacity, KvSharing.FULL);
    }

    public KvCache(int steps, int layers, int kvDim, int initialCapacity, KvSharing sharing) {
        this.steps = steps;
        this.layers = layers;
        this.kvDim = kvDim;
        this.sharing = sharing;
        this.capacity = Math.max(1, initialCapacity);
        int slots = slots(sharing, steps, layers);
        keys = new float[slots][capacity * kvDim];
        values = new float[slots][capacity * kvDim];
        boolean pending = sharing == KvSharing.FIRST_STEP || sharing == KvSharing.MEAN;
        pendingKeys = pending ? new float[layers][] : null;
        pendingValues = pending ? new float[layers][] : null;
    }

    private static int slots(KvSharing sharing, int steps, int layers) {
        return sharing.shared() ? layers : Math.multiplyExact(steps, layers);
    }

    public int steps() {
        return steps;
    }

    public KvSharing sharing() {
        return sharing;
    }

    /** Positions already committed. */
    public int length() {
        return length;
    }

    /** Bytes of keys and values stored per position: layers × 2 × kvDim × 4, times T under FULL. */
    public long bytesPerPosition() {
        return bytesPerPosition(sharing, steps, layers, kvDim);
    }

    /** {@link #bytesPerPosition()} of a cache not yet made. */
    public static long bytesPerPosition(KvSharing sharing, int steps, int layers, int kvDim) {
        return (long) slots(sharing, steps, layers) * 2 * kvDim * Float.BYTES;
    }

    /** Bytes of the key/value arrays as allocated now (capacity, not just the filled positions). */
    public long allocatedBytes() {
        return capacity * bytesPerPosition();
    }

    /** Makes room for positions up to {@code total} (exclusive). */
    public void ensureCapacity(int total) {
        if (total <= capacity) {
            return;
        }
        int next = Math.max(total, capacity * 2);
        for (int s = 0; s < keys.length; s++) {
            keys[s] = Arrays.copyOf(keys[s], next * kvDim);
            values[s] = Arrays.copyOf(values[s], next * kvDim);
        }
        capacity = next;
    }

    /** The keys step {@code step}'s layer {@code layer} attends to (shared modes: the same for every step). */
    public float[] keys(int step, int layer) {
        return keys[slot(step, layer)];
    }

    public float[] values(int step, int layer) {
        return values[slot(step, layer)];
    }

    private int slot(int step, int layer) {
        return sharing.shared() ? layer : step * layers + layer;
    }

    /**
     * Stores step {@code step}'s keys and values of layer {@code layer} for {@code count} new
     * positions starting at {@link #length()}, read from {@code k}/{@code v} at row offset
     * {@code from} (in floats).
     */
    void put(int step, int layer, float[] k, float[] v, int from, int count) {
        int at = length * kvDim;
        int n = count * kvDim;
        System.arraycopy(k, from, keys(step, layer), at, n);
        System.arraycopy(v, from, values(step, layer), at, n);
        if (pendingKeys == null) {
            return; // FULL keeps every step; LAST_STEP keeps what the last step writes
        }
        if (step == 0) {
            pendingKeys[layer] = Arrays.copyOfRange(k, from, from + n);
            pendingValues[layer] = Arrays.copyOfRange(v, from, from + n);
        } else if (sharing == KvSharing.MEAN) {
            float[] pk = pendingKeys[layer];
            float[] pv = pendingValues[layer];
            for (int i = 0; i < n; i++) {
                pk[i] += k[from + i];
                pv[i] += v[from + i];
            }
        }
    }

    /** Marks {@code count} more positions as filled in every slot, writing the shared value over them. */
    void commit(int count) {
        if (pendingKeys != null) {
            int at = length * kvDim;
            for (int l = 0; l < layers; l++) {
                float[] pk = pendingKeys[l];
                float[] pv = pendingValues[l];
                if (sharing == KvSharing.MEAN) {
                    for (int i = 0; i < pk.length; i++) {
                        pk[i] /= steps;
                        pv[i] /= steps;
                    }
                }
                System.arraycopy(pk, 0, keys[l], at, count * kvDim);
                System.arraycopy(pv, 0, values[l], at, count * kvDim);
                pendingKeys[l] = null;
                pendingValues[l] = null;
            }
        }
        length += count;
    }
}
