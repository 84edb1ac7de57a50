package org.looplens.benchmarks;

import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.looplens.engine.kernels.Kernels;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Causal self-attention over one sequence of {@code n} positions with grouped-query heads:
 * {@link #forward} is {@code attentionProbs} followed by {@code attentionContext}, {@link #backward}
 * is {@code attentionBackward} (given the probabilities of the forward pass).
 *
 * <p>Shapes are {@code h<heads>-kv<kvHeads>-d<headDim>-n<n>}: {@code h8-kv4-d32-n128} (preset M's
 * heads at sequence 128) and {@code h8-kv8-d64-n256} (preset L's heads at sequence 256). Any other
 * shape in that form can be passed with {@code -p shape=...}. The score is calls per second.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {
    "--add-modules", "jdk.incubator.vector", "--sun-misc-unsafe-memory-access=allow", "-Xmx2g"})
@State(Scope.Benchmark)
public class AttentionBenchmark {

    private static final Pattern SHAPE = Pattern.compile("h(\\d+)-kv(\\d+)-d(\\d+)-n(\\d+)");

    @Param({"scalar", "vector-1", "vector-2"})
    public String backend;

    @Param({"h8-kv4-d32-n128", "h8-kv8-d64-n256"})
    public String shape;

    private Kernels kernels;
    private int heads;
    private int kvHeads;
    private int headDim;
    private int n;
    private float scale;

    private float[] q;
    private float[] k;
    private float[] v;
    private float[] probs;
    private float[] context;
    private float[] dContext;
    private float[] dq;
    private float[] dk;
    private float[] dv;

    @Setup(Level.Trial)
    public void setUp() {
        Matcher mt = SHAPE.matcher(shape);
        if (!mt.matches()) {
            throw new IllegalArgumentException("shape '" + shape + "' is not h<heads>-kv<kvHeads>-d<headDim>-n<n>");
        }
        heads = Integer.parseInt(mt.group(1));
        kvHeads = Integer.parseInt(mt.group(2));
        headDim = Integer.parseInt(mt.group(3));
        n = Integer.parseInt(mt.group(4));
        scale = (float) (1 / Math.sqrt(headDim));
        Random random = new Random(Backends.SEED);
        q = Backends.uniform(random, n * heads * headDim);
        k = Backends.uniform(random, n * kvHeads * headDim);
        v = Backends.uniform(random, n * kvHeads * headDim);
        dContext = Backends.uniform(random, n * heads * headDim);
        probs = new float[heads * n * n];
        context = new float[n * heads * headDim];
        dq = new float[n * heads * headDim];
        dk = new float[n * kvHeads * headDim];
        dv = new float[n * kvHeads * headDim];
        kernels = Backends.open(backend);
        // The backward pass reads real probabilities; forward rewrites the same values.
        kernels.attentionProbs(q, 0, n, 0, k, 0, n, heads, kvHeads, headDim, scale, probs, 0);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        Backends.close(kernels);
    }

    /** Probabilities, then the context they weight. */
    @Benchmark
    public void forward() {
        kernels.attentionProbs(q, 0, n, 0, k, 0, n, heads, kvHeads, headDim, scale, probs, 0);
        kernels.attentionContext(probs, 0, n, 0, v, 0, n, heads, kvHeads, headDim, context, 0);
    }

    /** dq, dk and dv from the context gradient. */
    @Benchmark
    public void backward() {
        kernels.attentionBackward(q, 0, k, 0, v, 0, probs, 0, dContext, 0, n, heads, kvHeads, headDim, scale,
                dq, 0, dk, 0, dv, 0);
    }
}
