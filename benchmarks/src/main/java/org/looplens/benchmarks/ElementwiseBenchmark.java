package org.looplens.benchmarks;

import java.util.Random;
import java.util.concurrent.TimeUnit;
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
 * The row-wise and element-wise kernels at the training shapes of preset L (2048 tokens: 8
 * sequences of 256): RMSNorm and its gradient over 2048×512, the rotary embedding and its gradient
 * over 2048 rows of 8 heads × 64, SwiGLU and its gradient over 2048×1408, and the residual add over
 * 2048×512. The score is calls per second; each benchmark's arrays live in its own state, so a run
 * allocates only what it uses.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {
    "--add-modules", "jdk.incubator.vector", "--sun-misc-unsafe-memory-access=allow", "-Xmx2g"})
@State(Scope.Benchmark)
public class ElementwiseBenchmark {

    static final int ROWS = 2048;
    static final int HIDDEN = 512;
    static final int HEADS = 8;
    static final int HEAD_DIM = 64;
    static final int SEQUENCE = 256;
    static final int INTERMEDIATE = 1408;
    static final float EPS = 1e-6f;

    @Param({"scalar", "vector-1", "vector-2"})
    public String backend;

    private Kernels kernels;

    @Setup(Level.Trial)
    public void setUp() {
        kernels = Backends.open(backend);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        Backends.close(kernels);
    }

    /** RMSNorm and residual-add data, [ROWS, HIDDEN]. */
    @State(Scope.Benchmark)
    public static class Norm {
        float[] x;
        float[] weight;
        float[] dy;
        float[] out;
        float[] dx;
        float[] dWeight;

        @Setup(Level.Trial)
        public void setUp() {
            Random random = new Random(Backends.SEED);
            x = Backends.uniform(random, ROWS * HIDDEN);
            weight = Backends.uniform(random, HIDDEN);
            dy = Backends.uniform(random, ROWS * HIDDEN);
            out = new float[ROWS * HIDDEN];
            dx = new float[ROWS * HIDDEN];
            dWeight = new float[HIDDEN];
        }
    }

    /** Rotary data: ROWS rows of HEADS × HEAD_DIM at positions 0..SEQUENCE-1 repeating, and true cos/sin tables. */
    @State(Scope.Benchmark)
    public static class Rope {
        float[] x;
        int[] positions;
        float[] cos;
        float[] sin;

        @Setup(Level.Trial)
        public void setUp() {
            x = Backends.uniform(new Random(Backends.SEED), ROWS * HEADS * HEAD_DIM);
            positions = new int[ROWS];
            for (int r = 0; r < ROWS; r++) {
                positions[r] = r % SEQUENCE;
            }
            // Real rotations, so that rotating the same array again and again keeps its scale.
            int half = HEAD_DIM / 2;
            cos = new float[SEQUENCE * HEAD_DIM];
            sin = new float[SEQUENCE * HEAD_DIM];
            for (int p = 0; p < SEQUENCE; p++) {
                for (int j = 0; j < half; j++) {
                    double angle = p * Math.pow(10000, -2.0 * j / HEAD_DIM);
                    cos[p * HEAD_DIM + j] = cos[p * HEAD_DIM + j + half] = (float) Math.cos(angle);
                    sin[p * HEAD_DIM + j] = sin[p * HEAD_DIM + j + half] = (float) Math.sin(angle);
                }
            }
        }
    }

    /** SwiGLU data, ROWS × INTERMEDIATE elements. */
    @State(Scope.Benchmark)
    public static class Swiglu {
        static final int N = ROWS * INTERMEDIATE;
        float[] gate;
        float[] up;
        float[] dOut;
        float[] out;
        float[] dGate;
        float[] dUp;

        @Setup(Level.Trial)
        public void setUp() {
            Random random = new Random(Backends.SEED);
            gate = Backends.uniform(random, N);
            up = Backends.uniform(random, N);
            dOut = Backends.uniform(random, N);
            out = new float[N];
            dGate = new float[N];
            dUp = new float[N];
        }
    }

    @Benchmark
    public void rmsNorm(Norm s) {
        kernels.rmsNorm(s.x, 0, ROWS, HIDDEN, s.weight, EPS, s.out, 0);
    }

    @Benchmark
    public void rmsNormBackward(Norm s) {
        kernels.rmsNormBackward(s.x, 0, ROWS, HIDDEN, s.weight, EPS, s.dy, 0, s.dx, 0, s.dWeight);
    }

    /** The residual add, {@code out += x}. */
    @Benchmark
    public void addInPlace(Norm s) {
        kernels.addInPlace(s.out, 0, s.x, 0, ROWS * HIDDEN);
    }

    @Benchmark
    public void rope(Rope s) {
        kernels.rope(s.x, 0, ROWS, HEADS, HEAD_DIM, s.positions, 0, s.cos, s.sin);
    }

    @Benchmark
    public void ropeBackward(Rope s) {
        kernels.ropeBackward(s.x, 0, ROWS, HEADS, HEAD_DIM, s.positions, 0, s.cos, s.sin);
    }

    @Benchmark
    public void swiglu(Swiglu s) {
        kernels.swiglu(s.gate, 0, s.up, 0, s.out, 0, Swiglu.N);
    }

    @Benchmark
    public void swigluBackward(Swiglu s) {
        kernels.swigluBackward(s.gate, 0, s.up, 0, s.dOut, 0, s.dGate, 0, s.dUp, 0, Swiglu.N);
    }
}
