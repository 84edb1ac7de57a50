package org.looplens.engine.trace;

import java.util.HashMap;
import java.util.Map;

/**
 * Arrays that captures are copied into, kept from one run to the next. A run given these buffers
 * reuses the array a site of a sequence had last time when the size still fits, so repeated
 * runs neither allocate nor zero their traces (at every site of a 1.4B-layout model that is
 * gigabytes per run). The price: a trace of such a run is valid only until the next run that is
 * given the same buffers, which overwrites it. Not for use by two runs at once.
 */
public final class CaptureBuffers {
    private record Key(Site site, int sequence) {}

    private final Map<Key, float[]> arrays = new HashMap<>();

    /** An array of exactly {@code size} floats for this site and sequence, reused when it fits. */
    public synchronized float[] take(Site site, int sequence, int size) {
        Key key = new Key(site, sequence);
        float[] a = arrays.get(key);
        if (a == null || a.length != size) {
            a = new float[size];
            arrays.put(key, a);
        }
        return a;
    }

    /** Lets the arrays go (they are garbage once no trace refers to them). */
    public synchronized void clear() {
        arrays.clear();
    }
}
