package org.looplens.benchmarks;

import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Floating-point work done, as a JMH auxiliary counter: a benchmark adds the GFLOP of each call,
 * and JMH reports the sum per second as a secondary result named {@code <benchmark>:gflop}. Its
 * unit prints as "ops/s" but reads as GFLOP/s.
 */
@State(Scope.Thread)
@AuxCounters(AuxCounters.Type.OPERATIONS)
public class Flops {

    /** GFLOP done in this iteration. */
    public double gflop;

    @Setup(Level.Iteration)
    public void reset() {
        gflop = 0;
    }
}
