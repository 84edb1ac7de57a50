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
 * The three products of a linear layer {@code Y = X·Wᵀ} (X {@code [n, k]}, W {@code [m, k]}, Y
 * {@code [n, m]}): {@link #forward} ({@code matmulTransposed}), {@link #dX} ({@code matmul},
 * {@code dX = dY·W}) and {@link #dW} ({@code matmulTransposedAAccumulate}, {@code dW += dYᵀ·X}).
 *
 * <p>Shapes, as {@code n x k x m}; the preset ones are the training shapes of
 * {@code looplens bench} (2048 tokens per batch):
 * <ul>
 *   <li>{@code S-ffn} 2048×128×256 (preset S's gate/up projection), {@code S-attn} 2048×128×128 (its
 *       q/o projection);</li>
 *   <li>{@code M-ffn} 2048×256×704, {@code M-attn} 2048×256×256;</li>
 *   <li>{@code L-ffn} 2048×512×1408, {@code L-attn} 2048×512×512;</li>
 *   <li>{@code decode} 1×2048×5632: one token through a 2048 → 5632 projection (a matrix-vector
 *       product, bound by memory bandwidth);</li>
 *   <li>{@code square} 1024×1024×1024.</li>
 * </ul>
 * Any other shape can be given as {@code -p shape=NxKxM}, e.g. {@code -p shape=512x512x2048}.
 *
 * <p>The score is calls per second. Each call is {@code 2·n·k·m} floating-point operations, so
 * {@code GFLOP/s = ops/s × 2·n·k·m / 10⁹}; JMH also prints that directly as the secondary result
 * {@code :gflop} (see {@link Flops}; its unit prints as "ops/s" but reads as GFLOP/s).
 *
 * <p>The scalar reference backend is left out of the defaults because the large shapes take
 * seconds per call in it; compare on a small shape with
 * {@code -p backend=scalar,vector-1 -p shape=S-ffn}.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {
    "--add-modules", "jdk.incubator.vector", "--sun-misc-unsafe-memory-access=allow", "-Xmx2g"})
@State(Scope.Benchmark)
public class MatmulBenchmark {

    private static final Pattern DIMS = Pattern.compile("(\\d+)x(\\d+)x(\\d+)");

    @Param({"vector-1", "vector-2"})
    public String backend;

    @Param({"S-ffn", "S-attn", "M-ffn", "M-attn", "L-ffn", "L-attn", "decode", "square"})
    public String shape;

    private Kernels kernels;
    private int n;
    private int k;
    private int m;
    private double gflopPerCall;

    private float[] x;
    private float[] w;
    private float[] y;
    private float[] dy;
    private float[] dx;
    private float[] dw;

    @Setup(Level.Trial)
    public void setUp() {
        int[] dims = dims(shape);
        n = dims[0];
        k = dims[1];
        m = dims[2];
        gflopPerCall = 2.0 * n * k * m / 1e9;
        Random random = new Random(Backends.SEED);
        x = Backends.uniform(random, n * k);
        w = Backends.uniform(random, m * k);
        dy = Backends.uniform(random, n * m);
        y = new float[n * m];
        dx = new float[n * k];
        dw = new float[m * k];
        kernels = Backends.open(backend);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        Backends.close(kernels);
    }

    /** {@code n, k, m} of a named shape or of {@code NxKxM}. */
    static int[] dims(String shape) {
        return switch (shape) {
            case "S-ffn" -> new int[] {2048, 128, 256};
            case "S-attn" -> new int[] {2048, 128, 128};
            case "M-ffn" -> new int[] {2048, 256, 704};
            case "M-attn" -> new int[] {2048, 256, 256};
            case "L-ffn" -> new int[] {2048, 512, 1408};
            case "L-attn" -> new int[] {2048, 512, 512};
            case "decode" -> new int[] {1, 2048, 5632};
            case "square" -> new int[] {1024, 1024, 1024};
            default -> {
                Matcher mt = DIMS.matcher(shape);
                if (!mt.matches()) {
                    throw new IllegalArgumentException("shape '" + shape + "' is not a preset shape or NxKxM");
                }
                yield new int[] {Integer.parseInt(mt.group(1)), Integer.parseInt(mt.group(2)),
                    Integer.parseInt(mt.group(3))};
            }
        };
    }

    /** {@code Y = X·Wᵀ}. */
    @Benchmark
    public void forward(Flops flops) {
        kernels.matmulTransposed(x, 0, n, k, w, 0, m, y, 0);
        flops.gflop += gflopPerCall;
    }

    /** {@code dX = dY·W}, overwriting dX. */
    @Benchmark
    public void dX(Flops flops) {
        kernels.matmul(dy, 0, n, m, w, 0, k, dx, 0, false);
        flops.gflop += gflopPerCall;
    }

    /** {@code dW += dYᵀ·X}. */
    @Benchmark
    public void dW(Flops flops) {
        kernels.matmulTransposedAAccumulate(dy, 0, n, m, x, 0, k, dw, 0);
        flops.gflop += gflopPerCall;
    }
}
