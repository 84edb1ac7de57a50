package org.looplens.engine.run;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.looplens.engine.TestModels;
import org.looplens.engine.kernels.CpuKernels;
import org.looplens.engine.model.LoopModel;

/** Generation: greedy equals argmax of a full forward, sampling is seeded and respects top-k/top-p. */
class GenerationTest {
    private final LoopModel model = TestModels.random(TestModels.gqaConfig(), 5);
    private final LoopRunner runner = new LoopRunner(model, CpuKernels.shared());
    private final int vocab = model.config().vocabSize();

    @Test
    void greedyGenerationEqualsRepeatedFullForwards() {
        int[] prompt = TestModels.tokens(4, vocab, 1);
        Generator.Generation g = new Generator(runner).generate(prompt, 6, Sampling.greedy(), RunOptions.defaults(),
                Set.of(), null);
        assertEquals(6, g.generated().length);
        int[] seq = prompt.clone();
        for (int i = 0; i < 6; i++) {
            RunResult full = runner.forward(seq, RunOptions.defaults());
            int next = TokenSampler.argmax(full.output().data(), (seq.length - 1) * vocab, vocab);
            assertEquals(next, g.generated()[i], "token " + i);
            seq = Arrays.copyOf(seq, seq.length + 1);
            seq[seq.length - 1] = next;
        }
    }

    @Test
    void stopTokenEndsGeneration() {
        int[] prompt = TestModels.tokens(4, vocab, 1);
        int first = new Generator(runner).generate(prompt, 1, Sampling.greedy(), RunOptions.defaults(), Set.of(), null)
                .generated()[0];
        Generator.Generation g = new Generator(runner).generate(prompt, 10, Sampling.greedy(), RunOptions.defaults(),
                Set.of(first), null);
        assertArrayEquals(new int[] {first}, g.generated());
        assertTrue(g.stoppedByToken());
    }

    @Test
    void streamingHandsOverEachTokenInOrderAndTheSinkCanStopIt() {
        int[] prompt = TestModels.tokens(4, vocab, 1);
        int[] all = new Generator(runner).generate(prompt, 6, Sampling.greedy(), RunOptions.defaults(), Set.of(), null)
                .generated();
        java.util.List<Integer> seen = new java.util.ArrayList<>();
        Generator.Generation g = new Generator(runner).stream(prompt, 6, Sampling.greedy(), RunOptions.defaults(),
                Set.of(), seen::add);
        assertArrayEquals(all, g.generated());
        assertArrayEquals(all, seen.stream().mapToInt(Integer::intValue).toArray());
        seen.clear();
        Generator.Generation cut = new Generator(runner).stream(prompt, 6, Sampling.greedy(), RunOptions.defaults(),
                Set.of(), t -> seen.add(t) && seen.size() < 3);
        assertArrayEquals(Arrays.copyOf(all, 3), cut.generated());
        assertEquals(3, cut.steps().size(), "the prefill and two appends: the last token is never run");
        assertEquals(false, cut.stoppedByToken());
    }

    @Test
    void samplingIsReproducibleForASeedAndRespectsTopK() {
        float[] logits = {0f, 3f, 1f, 2.5f, -1f};
        TokenSampler a = new TokenSampler(new Sampling(1.0, 2, 1.0, 42));
        TokenSampler b = new TokenSampler(new Sampling(1.0, 2, 1.0, 42));
        int[] counts = new int[5];
        for (int i = 0; i < 2000; i++) {
            int x = a.next(logits, 0, 5);
            assertEquals(x, b.next(logits, 0, 5));
            counts[x]++;
        }
        assertEquals(0, counts[0] + counts[2] + counts[4], "top-2 keeps tokens 1 and 3 only");
        // p(1)/p(3) = e^0.5 ≈ 1.65 at temperature 1.
        double ratio = (double) counts[1] / counts[3];
        assertTrue(ratio > 1.4 && ratio < 1.95, "ratio " + ratio);
    }

    @Test
    void topPKeepsTheSmallestNucleus() {
        float[] logits = {5f, 0f, 0f, 0f};
        TokenSampler s = new TokenSampler(new Sampling(1.0, 0, 0.9, 1));
        for (int i = 0; i < 200; i++) {
            assertEquals(0, s.next(logits, 0, 4), "token 0 alone holds > 0.9 of the mass");
        }
        TokenSampler wide = new TokenSampler(new Sampling(10.0, 0, 1.0, 1));
        boolean sawOther = false;
        for (int i = 0; i < 200 && !sawOther; i++) {
            sawOther = wide.next(logits, 0, 4) != 0;
        }
        assertTrue(sawOther, "a high temperature flattens the distribution");
        assertTrue(new Sampling(0, 0, 1, 0).isGreedy());
    }
}
