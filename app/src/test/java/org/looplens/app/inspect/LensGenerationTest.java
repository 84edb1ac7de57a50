package org.looplens.app.inspect;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.looplens.analyses.lens.LensQuantity;
import org.looplens.engine.kernels.CpuKernels;
import org.looplens.engine.run.ExitPolicy;
import org.looplens.engine.run.Generator;
import org.looplens.engine.run.LoopRunner;
import org.looplens.engine.run.RunOptions;
import org.looplens.engine.run.Sampling;

/** The inspector's generation: the engine's tokens, and a grown lens equal to the full sequence's. */
class LensGenerationTest {
    private static final Path COT = Path.of(System.getProperty("looplens.samples.dir", "../sample-checkpoints"))
            .resolve("multihop-cot");

    @Test
    void tokensAreTheGeneratorsAndTheLensIsTheFullForwards() {
        System.setProperty("ai.djl.offline", "true");
        OpenCheckpoint c = OpenCheckpoint.open(COT);
        int[] prompt = c.tokenizer().orElseThrow().encode("<bos> e3 r1 r0 r2 ?");
        InspectSettings settings = new InspectSettings(0, ExitPolicy.qExit(0.5), 5);
        List<Integer> seen = new ArrayList<>();
        PromptInspection grown = LensGeneration.run(c, prompt, settings, 20, Sampling.greedy(), CpuKernels.shared(),
                (token, soFar) -> {
                    seen.add(token);
                    assertEquals(prompt.length + seen.size(), soFar.lens().length());
                    return true;
                });
        int[] expected = new Generator(new LoopRunner(c.model(), CpuKernels.shared())).generate(prompt, 20,
                Sampling.greedy(), RunOptions.defaults().withExitPolicy(ExitPolicy.qExit(0.5)), Set.of(2), null)
                .generated();
        assertArrayEquals(expected, seen.stream().mapToInt(Integer::intValue).toArray());
        assertEquals(2, expected[expected.length - 1], "stopped at <eos>");

        int[] all = Arrays.copyOf(prompt, prompt.length + expected.length);
        System.arraycopy(expected, 0, all, prompt.length, expected.length);
        PromptInspection full = PromptInspection.run(c, all, settings, CpuKernels.shared());
        assertEquals(full.tokenLabels(), grown.tokenLabels());
        assertArrayEquals(full.lens().exitSteps(), grown.lens().exitSteps());
        for (int i = 0; i < all.length; i++) {
            for (int t = 0; t < full.lens().steps(); t++) {
                for (LensQuantity q : List.of(LensQuantity.TOP1_PROB, LensQuantity.ENTROPY, LensQuantity.EXIT_PDF)) {
                    assertEquals(full.lens().value(q, i, t), grown.lens().value(q, i, t), 1e-6, q + " at " + i + "," + t);
                }
            }
        }
    }
}
