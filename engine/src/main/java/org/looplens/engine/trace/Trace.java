package org.looplens.engine.trace;

import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.Arrays;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.looplens.engine.tensor.FloatTensor;

/**
 * What a run recorded for one sequence: site → tensor, plus the absolute positions of the rows.
 * Per-position sites are {@code [P, width]} ({@code [P]} for the gate logit); attention
 * probabilities are {@code [heads, P, keys]}.
 *
 * <p>A site is held either in the heap or, when the run's captures outgrew its memory budget, in
 * a {@link SpillFile}; then {@link #get} copies it into the heap on every call, one site at a
 * time, so reading a large trace site by site never holds more than one site.
 */
public final class Trace {
    /** A recorded site's value, in the heap or on disk. */
    private sealed interface Held {
        FloatTensor tensor();

        int[] shape();

        /** A copy of {@code count} floats from float {@code from}. */
        float[] floats(int from, int count);
    }

    private record InHeap(FloatTensor tensor) implements Held {
        @Override
        public int[] shape() {
            return tensor.shape();
        }

        @Override
        public float[] floats(int from, int count) {
            return Arrays.copyOfRange(tensor.data(), from, from + count);
        }
    }

    private record OnDisk(SpillFile.Region region) implements Held {
        @Override
        public FloatTensor tensor() {
            return region.read();
        }

        @Override
        public int[] shape() {
            return region.shape();
        }

        @Override
        public float[] floats(int from, int count) {
            return region.read(from, count);
        }
    }

    private final Map<Site, Held> values = new LinkedHashMap<>();
    private final int[] positions;
    private long spilledBytes;
    private SpillFile spill; // the file the spilled sites live in, or null

    public Trace(int[] positions) {
        this.positions = positions.clone();
    }

    public void put(Site site, FloatTensor value) {
        values.put(site, new InHeap(value));
    }

    /** Records a site that was written to a spill file. */
    public void put(Site site, SpillFile.Region region) {
        values.put(site, new OnDisk(region));
        spill = region.file(); // one run writes one file
        spilledBytes += (long) region.size() * Float.BYTES;
    }

    /**
     * The recorded value at a site (a fresh copy when it was spilled to disk), or an error naming
     * the site if the plan did not capture it.
     */
    public FloatTensor get(Site site) {
        return held(site).tensor();
    }

    /**
     * A copy of one position's row of a per-position site ({@code [P, width]}), read alone when
     * the site was spilled: what a reader that walks position by position should ask for.
     */
    public float[] row(Site site, int row) {
        Held h = held(site);
        int[] shape = h.shape();
        if (shape.length != 2) {
            throw new IllegalArgumentException(site + " has shape " + Arrays.toString(shape) + ", not [positions, width]");
        }
        Objects.checkIndex(row, shape[0]);
        return h.floats(row * shape[1], shape[1]);
    }

    /** The shape recorded at a site, without reading it. */
    public int[] shape(Site site) {
        return held(site).shape();
    }

    /** Whether the plan captured this site. */
    public boolean has(Site site) {
        return values.containsKey(site);
    }

    /**
     * Lets go of the spill file behind this trace now, rather than when the trace is garbage; a
     * spilled site read afterwards is an error, sites in the heap stay. The traces of one batched
     * run share a file: releasing one releases them all.
     */
    public void release() {
        if (spill != null) {
            spill.close();
        }
    }

    /** Bytes of this trace that live in a spill file rather than the heap (0: all in the heap). */
    public long spilledBytes() {
        return spilledBytes;
    }

    /**
     * Every recorded site, in the order the computation reached them. Spilled sites are read when
     * their value is asked for, so iterating holds one at a time.
     */
    public Map<Site, FloatTensor> all() {
        return new AbstractMap<>() {
            @Override
            public Set<Entry<Site, FloatTensor>> entrySet() {
                return new AbstractSet<>() {
                    @Override
                    public Iterator<Entry<Site, FloatTensor>> iterator() {
                        Iterator<Map.Entry<Site, Held>> it = values.entrySet().iterator();
                        return new Iterator<>() {
                            @Override
                            public boolean hasNext() {
                                return it.hasNext();
                            }

                            @Override
                            public Entry<Site, FloatTensor> next() {
                                Map.Entry<Site, Held> e = it.next();
                                return new SimpleImmutableEntry<>(e.getKey(), e.getValue().tensor());
                            }
                        };
                    }

                    @Override
                    public int size() {
                        return values.size();
                    }
                };
            }

            @Override
            public FloatTensor get(Object key) {
                Held v = values.get(key);
                return v == null ? null : v.tensor();
            }

            @Override
            public boolean containsKey(Object key) {
                return values.containsKey(key);
            }

            @Override
            public Set<Site> keySet() {
                return Collections.unmodifiableSet(values.keySet());
            }

            @Override
            public int size() {
                return values.size();
            }
        };
    }

    /** The absolute positions of the recorded rows. */
    public int[] positions() {
        return positions.clone();
    }

    private Held held(Site site) {
        Held v = values.get(site);
        if (v == null) {
            throw new IllegalArgumentException("site " + site + " was not captured");
        }
        return v;
    }
}
