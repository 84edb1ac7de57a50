package org.looplens.analyses.faithfulness;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.looplens.analyses.SmallModels;
import org.looplens.engine.data.Example;
import org.looplens.engine.data.Format;
import org.looplens.engine.data.MultiHopTask;
import org.looplens.engine.data.Split;
import org.looplens.engine.kernels.CpuKernels;
import org.looplens.engine.kernels.Kernels;
import org.looplens.engine.model.LoopModel;
import org.looplens.engine.run.LoopRunner;
import org.looplens.engine.run.RunOptions;

class CotFaithfulnessTest {
    private static final MultiHopTask TASK = new MultiHopTask(8, 2, 2, 3, 0.3, 0.2, 1);
    private static final Kernels K = CpuKernels.shared();
    private static final double[] FRACTIONS = {0, 0.5, 1};
    private final LoopModel model = SmallModels.random(TASK.vocabulary().size(), 2, 1, 0.5, 11);
    private final List<Example> examples = TASK.batch(Split.TEST, 0, 24, Format.COT);

    @Test
    void earlyAnsweringAgreesFullyWithTheWholeChainAndAtZeroIsTheNoChainAnswer() {
        List<CotFaithfulness.Chain> chains = CotFaithfulness.chains(model, K, examples);
        int[][] forced = CotFaithfulness.forcedAnswers(model, K, chains, FRACTIONS, false);
        LoopRunner runner = new LoopRunner(model, K);
        int agreeAtZero = 0;
        for (int q = 0; q < chains.size(); q++) {
            CotFaithfulness.Chain c = chains.get(q);
            int[] noChain = Answers.concat(c.prompt(), new int[0], 0, 0, c.marker());
            int alone = Answers.lastArgmax(runner.forward(noChain, RunOptions.defaults()).output());
            assertEquals(alone, forced[q][0], "f = 0 is the prompt, ?, then =");
            assertEquals(c.answer(), forced[q][2], "f = 1 is the model's own chain and answer");
            agreeAtZero += alone == c.answer() ? 1 : 0;
        }
        FaithfulnessCurve curve = CotFaithfulness.earlyAnswering(model, K, examples, FRACTIONS, 100, 3);
        assertEquals(1.0, curve.value()[2], 0);
        assertEquals((double) agreeAtZero / chains.size(), curve.value()[0], 1e-12);
        assertEquals(examples.size(), curve.questions());
    }

    @Test
    void chainsStartAfterTheReasoningMarker() {
        for (CotFaithfulness.Chain c : CotFaithfulness.chains(model, K, examples.subList(0, 5))) {
            int ask = TASK.vocabulary().id("?");
            assertEquals(ask, c.prompt()[c.prompt().length - 1]);
            assertEquals(TASK.vocabulary().id("="), c.marker());
            assertEquals(c.example().difficulty() + 3, c.prompt().length);
        }
    }

    @Test
    void fillerReplacesTheChainByReasoningMarkers() {
        List<CotFaithfulness.Chain> chains = CotFaithfulness.chains(model, K, examples);
        int[][] early = CotFaithfulness.forcedAnswers(model, K, chains, FRACTIONS, false);
        int[][] filler = CotFaithfulness.forcedAnswers(model, K, chains, FRACTIONS, true);
        LoopRunner runner = new LoopRunner(model, K);
        int ask = TASK.vocabulary().id("?");
        for (int q = 0; q < chains.size(); q++) {
            CotFaithfulness.Chain c = chains.get(q);
            assertEquals(early[q][0], filler[q][0], "no chain and no filler are the same input");
            int[] fill = new int[c.cot().length];
            java.util.Arrays.fill(fill, ask);
            int[] seq = Answers.concat(c.prompt(), fill, 0, fill.length, c.marker());
            assertEquals(Answers.lastArgmax(runner.forward(seq, RunOptions.defaults()).output()), filler[q][2]);
        }
        FaithfulnessCurve a = CotFaithfulness.earlyAnsweringFrom(model, K, chains, FRACTIONS, 100, 3);
        FaithfulnessCurve f = CotFaithfulness.fillerTokensFrom(model, K, chains, FRACTIONS, 100, 3);
        assertEquals(a.value()[0], f.value()[0], 0);
    }

    @Test
    void directExamplesAndRandomChainsAreRefused() {
        assertThrows(IllegalArgumentException.class,
                () -> CotFaithfulness.chains(model, K, TASK.batch(Split.TEST, 0, 2, Format.DIRECT)));
        // A random model's chains are not chains of entities: there is nowhere to put a mistake.
        List<CotFaithfulness.Chain> junk = List.of(new CotFaithfulness.Chain(examples.get(0),
                java.util.Arrays.copyOf(examples.get(0).tokens(), examples.get(0).difficulty() + 3), new int[0],
                TASK.vocabulary().id("="), 0));
        assertThrows(IllegalArgumentException.class,
                () -> CotFaithfulness.addingMistakesFrom(model, K, TASK, junk, FRACTIONS, 10, 1));
    }

    @Test
    void aMistakeInTheGoldChainIsFollowedOrNotByTheModelsOwnContinuation() {
        // Gold chains (the example's own steps) are well formed whatever the model, so every question counts.
        List<CotFaithfulness.Chain> gold = examples.stream().map(e -> new CotFaithfulness.Chain(e,
                java.util.Arrays.copyOf(e.tokens(), e.difficulty() + 3),
                java.util.Arrays.copyOfRange(e.tokens(), e.difficulty() + 3, e.answerStart() - 1),
                e.tokens()[e.answerStart() - 1], e.answer()[0])).toList();
        FaithfulnessCurve m = CotFaithfulness.addingMistakesFrom(model, K, TASK, gold, FRACTIONS, 100, 4);
        assertEquals(examples.size(), m.questions());
        // 2- and 3-hop chains hold n = 1 or 2 intermediates; the mistake goes at min(⌊f·n⌋, n − 1): f = 0.5 and
        // f = 1 corrupt the same (last) intermediate of every chain, so each question answers them alike.
        assertEquals(m.value()[1], m.value()[2], 0);
        // A 2-hop chain has one intermediate: every fraction corrupts it, with the same wrong entity.
        List<CotFaithfulness.Chain> twoHop = gold.stream().filter(c -> c.example().difficulty() == 2).toList();
        assertTrue(!twoHop.isEmpty() && twoHop.size() < gold.size(), "the batch mixes 2- and 3-hop questions");
        FaithfulnessCurve two = CotFaithfulness.addingMistakesFrom(model, K, TASK, twoHop, FRACTIONS, 100, 4);
        assertEquals(two.value()[0], two.value()[1], 0);
        assertEquals(two.value()[0], two.value()[2], 0);
        FaithfulnessCurve again = CotFaithfulness.addingMistakesFrom(model, K, TASK, gold, FRACTIONS, 100, 4);
        assertArrayEquals(m.value(), again.value(), 0);
    }
}
