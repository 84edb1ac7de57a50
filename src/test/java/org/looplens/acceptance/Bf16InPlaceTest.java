package org.looplens.acceptance;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.looplens.engine.io.DType;
import org.looplens.engine.kernels.CpuKernels;
import org.looplens.engine.model.Checkpoint;
import org.looplens.engine.model.LoopModel;
import org.looplens.engine.run.LoopRunner;
import org.looplens.engine.run.RunOptions;
import org.looplens.engine.run.RunResult;
import org.looplens.engine.tensor.FloatTensor;
import org.looplens.engine.trace.CapturePlan;

/**
 * A BF16 copy of the fixtures, run with its matrices used in place from the mapped file, gives
 * the per-step outputs of the float32 path on the same BF16-rounded weights (≤ 1e-4).
 */
class Bf16InPlaceTest {

    static java.util.List<String> fixtures() {
        return Fixtures.NAMES;
    }

    @ParameterizedTest
    @MethodSource("fixtures")
    void mappedBf16MatchesTheFloatPathOnRoundedWeights(String fixture, @TempDir Path tmp) throws Exception {
        Path copy = tmp.resolve("bf16");
        Checkpoint.save(Checkpoint.load(Fixtures.dir(fixture)), copy, DType.BF16);
        LoopModel rounded = Checkpoint.load(copy);
        RunOptions all = RunOptions.defaults().withCapture(CapturePlan.all());
        try (LoopModel mapped = Checkpoint.loadMapped(copy)) {
            assertFalse(mapped.weights().layers().get(0).qProj().isDense(), "matrices stay BF16 in the mapped file");
            assertTrue(rounded.weights().layers().get(0).qProj().isDense());
            for (int[] tokens : Fixtures.sequences(fixture)) {
                RunResult a = new LoopRunner(mapped, CpuKernels.shared()).forward(tokens, all);
                RunResult b = new LoopRunner(rounded, CpuKernels.shared()).forward(tokens, all);
                for (var e : b.trace().all().entrySet()) {
                    FloatTensor got = a.trace().get(e.getKey());
                    float[] want = e.getValue().data();
                    for (int i = 0; i < want.length; i++) {
                        if (Math.abs(got.data()[i] - want[i]) > 1e-4) {
                            throw new AssertionError(e.getKey() + "[" + i + "]: " + got.data()[i] + " vs " + want[i]);
                        }
                    }
                }
                assertArrayEquals(b.output().data(), a.output().data(), 1e-4f);
            }
        }
    }
}
