package org.looplens.app.bench;

import java.util.ArrayList;
import java.util.List;

/** Per-iteration rates of a benchmark, after warm-up, summarised as median, minimum and maximum. */
public final class Timing {
    private final List<Double> rates = new ArrayList<>();

    public void add(double rate) {
        rates.add(rate);
    }

    /** The recorded rates, in the order measured. */
    public List<Double> values() {
        return List.copyOf(rates);
    }

    public int count() {
        return rates.size();
    }

    public double median() {
        List<Double> s = sorted();
        int n = s.size();
        return n == 0 ? Double.NaN : n % 2 == 1 ? s.get(n / 2) : (s.get(n / 2 - 1) + s.get(n / 2)) / 2;
    }

    public double min() {
        return sorted().getFirst();
    }

    public double max() {
        return sorted().getLast();
    }

    private List<Double> sorted() {
        List<Double> s = new ArrayList<>(rates);
        s.sort(Double::compare);
        return s;
    }

    /**
     * Runs {@code iteration} (which returns the units it processed) for warm-up, then until
     * {@code seconds} have passed (at least 3 timed iterations), recording units per second.
     */
    public static Timing measure(double seconds, int warmup, java.util.function.IntSupplier iteration) {
        for (int i = 0; i < warmup; i++) {
            iteration.getAsInt();
        }
        Timing t = new Timing();
        long end = System.nanoTime() + (long) (seconds * 1e9);
        while (t.count() < 3 || System.nanoTime() < end) {
            long start = System.nanoTime();
            int units = iteration.getAsInt();
            t.add(units / ((System.nanoTime() - start) / 1e9));
        }
        return t;
    }
}
