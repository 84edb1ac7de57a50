package org.looplens.engine.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class MultiHopTaskTest {
    private static final int N = 50;
    private static final int R = 4;
    private static final int K_TRAIN = 3;
    private static final int K_TEST = 5;

    private final MultiHopTask task = new MultiHopTask(N, R, K_TRAIN, K_TEST, 0.3, 0.2, 7);
    private final Vocabulary v = task.vocabulary();

    @Test
    void sameArgumentsGiveTheSameExampleAndOtherIndexesOthers() {
        MultiHopTask again = new MultiHopTask(N, R, K_TRAIN, K_TEST, 0.3, 0.2, 7);
        Set<String> keys = new HashSet<>();
        for (Split s : Split.values()) {
            for (Format f : Format.values()) {
                for (long i = 0; i < 200; i++) {
                    Example e = task.example(s, i, f);
                    assertEquals(e, task.example(s, i, f));
                    assertEquals(e, again.example(s, i, f), "no hidden state: a fresh task gives the same example");
                    keys.add(s + " " + e.key());
                }
            }
        }
        assertTrue(keys.size() > 3 * 150, "different indexes give different questions, got " + keys.size());
        assertNotEquals(task.example(Split.TEST, 0, Format.DIRECT),
                new MultiHopTask(N, R, K_TRAIN, K_TEST, 0.3, 0.2, 8).example(Split.TEST, 0, Format.DIRECT),
                "the seed matters");
    }

    @Test
    void formatsAskTheSameQuestion() {
        for (long i = 0; i < 100; i++) {
            Example d = task.example(Split.TEST, i, Format.DIRECT);
            Example c = task.example(Split.TEST, i, Format.COT);
            assertEquals(d.key(), c.key());
            assertArrayEquals(d.answer(), c.answer());
            assertArrayEquals(d.intermediates(), c.intermediates());
        }
    }

    /** Parses the question, follows the graph hop by hop, and compares with the example. */
    @ParameterizedTest
    @EnumSource(Format.class)
    void answersAndIntermediatesFollowTheGraph(Format f) {
        for (Split s : Split.values()) {
            for (long i = 0; i < 500; i++) {
                Example e = task.example(s, i, f);
                Layouts.checkFrame(e, v, f);
                int[] q = Layouts.question(e, v, f);
                int k = q.length - 1;
                assertEquals(k, e.difficulty());
                int cur = Integer.parseInt(v.word(q[0]).substring(1));
                assertEquals("e", v.word(q[0]).substring(0, 1));
                int[] expected = new int[k];
                for (int h = 0; h < k; h++) {
                    String rel = v.word(q[1 + h]);
                    assertEquals('r', rel.charAt(0));
                    cur = task.apply(Integer.parseInt(rel.substring(1)), cur);
                    expected[h] = v.id("e" + cur);
                }
                assertArrayEquals(expected, e.intermediates(), "entity after each hop");
                assertArrayEquals(new int[] {expected[k - 1]}, e.answer());
                if (f == Format.COT) {
                    assertArrayEquals(Arrays.copyOf(expected, k - 1), Layouts.steps(e, v),
                            "COT spells out every intermediate entity before the answer");
                }
                assertTrue(e.length() <= task.maxLength(f));
            }
        }
    }

    @Test
    void applyChainRecomputesAnswersFromAnyIntermediate() {
        for (long i = 0; i < 100; i++) {
            Example e = task.example(Split.TEST, i, Format.COT);
            int k = e.difficulty();
            int[] relations = Arrays.copyOfRange(e.tokens(), 2, 2 + k);
            assertEquals(e.answer()[0], task.applyChain(e.tokens()[1], relations), e.key());
            for (int j = 0; j < k; j++) { // from intermediate j, the rest of the chain gives the answer
                assertEquals(e.answer()[0], task.applyChain(e.intermediates()[j], Arrays.copyOfRange(relations, j + 1, k)));
            }
        }
        // By hand: r0(e3) then r1 of that.
        int mid = task.apply(0, 3);
        assertEquals(task.entityToken(task.apply(1, mid)),
                task.applyChain(task.entityToken(3), new int[] {task.relationToken(0), task.relationToken(1)}));
        assertEquals(task.entityToken(3), task.applyChain(task.entityToken(3), new int[0]));
        assertThrows(IllegalArgumentException.class, () -> task.applyChain(task.relationToken(0), new int[0]));
        assertThrows(IllegalArgumentException.class, () -> task.applyChain(task.entityToken(0), new int[] {task.entityToken(1)}));
        assertThrows(IllegalArgumentException.class, () -> task.applyChain(task.entityToken(N - 1) + 1 + R, new int[0]));
    }

    @Test
    void relationsArePermutations() {
        for (int r = 0; r < R; r++) {
            Set<Integer> images = new HashSet<>();
            for (int e = 0; e < N; e++) {
                images.add(task.apply(r, e));
            }
            assertEquals(N, images.size());
        }
    }

    @Test
    void heldOutQuestionsNeverOccurInTraining() {
        Map<String, Integer> train = keys(task, Split.TRAIN, 20_000);
        Map<String, Integer> validation = keys(task, Split.VALIDATION, 2_000);
        Map<String, Integer> test = keys(task, Split.TEST, 2_000);
        for (String k : test.keySet()) {
            assertTrue(!train.containsKey(k), "TEST question " + k + " is also in TRAIN");
            assertTrue(!validation.containsKey(k), "TEST question " + k + " is also in VALIDATION");
        }
        for (String k : validation.keySet()) {
            assertTrue(!train.containsKey(k), "VALIDATION question " + k + " is also in TRAIN");
        }
        assertTrue(train.values().stream().allMatch(k -> k >= 1 && k <= K_TRAIN));
        assertTrue(train.containsValue(1) && train.containsValue(K_TRAIN));
        for (Map<String, Integer> held : List.of(validation, test)) {
            assertTrue(held.values().stream().allMatch(k -> k >= 2 && k <= K_TEST), "held-out: 2..kTest hops only");
            assertTrue(held.values().stream().anyMatch(k -> k > K_TRAIN), "held-out splits test longer chains");
            assertTrue(held.values().stream().anyMatch(k -> k <= K_TRAIN), "and in-range chains");
        }
    }

    private static Map<String, Integer> keys(Task t, Split s, int n) {
        Map<String, Integer> out = new HashMap<>();
        for (long i = 0; i < n; i++) {
            Example e = t.example(s, i, Format.DIRECT);
            out.put(e.key(), e.difficulty());
        }
        return out;
    }

    @Test
    void everyFactIsInTrainingWithinOneEpochOfFactSlots() {
        // Fact slots are a 0.3 share of TRAIN indexes, so N·R facts take ⌈N·R / 0.3⌉ indexes.
        int span = (int) Math.ceil(N * R / 0.3) + 1;
        Set<String> facts = new HashSet<>();
        int oneHop = 0;
        for (long i = 0; i < span; i++) {
            Example e = task.example(Split.TRAIN, i, Format.DIRECT);
            if (e.difficulty() == 1) {
                facts.add(e.key());
                oneHop++;
            }
        }
        assertEquals(N * R, facts.size(), "all 1-hop facts");
        assertEquals(N * R, oneHop, "each exactly once per epoch");
    }

    @Test
    void onlyFactsWhenTrainingIsOneHop() {
        MultiHopTask facts = new MultiHopTask(10, 3, 1, 3, 0.3, 0.2, 1);
        Set<String> seen = new HashSet<>();
        for (long i = 0; i < 30; i++) {
            Example e = facts.example(Split.TRAIN, i, Format.COT);
            assertEquals(1, e.difficulty());
            Layouts.checkFrame(e, facts.vocabulary(), Format.COT);
            seen.add(e.key());
        }
        assertEquals(30, seen.size());
    }

    @Test
    void layoutAndVocabularyAreCompact() {
        assertEquals(N + R + 6, v.size(), "4 specials, ? and =, entities, relations");
        Example e = task.example(Split.TEST, 3, Format.COT);
        int k = e.difficulty();
        assertEquals(2 * k + 5, e.length(), "<bos> e r×k ? step×(k-1) = a <eos>");
        assertEquals(k + 5, task.example(Split.TEST, 3, Format.DIRECT).length(), "<bos> e r×k = a <eos>");
        assertEquals(2 * K_TEST + 5, task.maxLength(Format.COT));
    }

    @Test
    void badParametersAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> new MultiHopTask(1, 2, 1, 2, 0.3, 0.2, 0));
        assertThrows(IllegalArgumentException.class, () -> new MultiHopTask(10, 2, 3, 2, 0.3, 0.2, 0));
        assertThrows(IllegalArgumentException.class, () -> new MultiHopTask(10, 2, 1, 1, 0.3, 0.2, 0));
        assertThrows(IllegalArgumentException.class, () -> new MultiHopTask(10, 2, 2, 3, 0, 0.2, 0));
        IllegalArgumentException tiny = assertThrows(IllegalArgumentException.class,
                () -> new MultiHopTask(2, 1, 2, 2, 0.3, 0.2, 0));
        assertTrue(tiny.getMessage().contains("too small"), tiny.getMessage());
        assertThrows(IllegalArgumentException.class, () -> task.example(Split.TRAIN, -1, Format.DIRECT));
    }
}
