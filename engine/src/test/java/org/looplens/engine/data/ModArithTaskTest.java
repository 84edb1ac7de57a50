package org.looplens.engine.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class ModArithTaskTest {
    private static final int P = 7;
    private static final int D_TRAIN = 3;
    private static final int D_TEST = 5;

    private final ModArithTask task = new ModArithTask(P, D_TRAIN, D_TEST, 0.2, 11);
    private final Vocabulary v = task.vocabulary();

    /** A reference evaluator over the words, in exact integers reduced at the end of each node. */
    private static final class Eval {
        final String[] words;
        int pos;
        final List<Integer> postOrder = new ArrayList<>();

        Eval(String[] words) {
            this.words = words;
        }

        /** Returns {value, depth}. */
        int[] node() {
            String w = words[pos++];
            if (!w.equals("+") && !w.equals("-") && !w.equals("*")) {
                int n = Integer.parseInt(w);
                assertTrue(n >= 0 && n < P);
                return new int[] {n, 0};
            }
            int[] a = node();
            int[] b = node();
            BigInteger x = BigInteger.valueOf(a[0]);
            BigInteger y = BigInteger.valueOf(b[0]);
            BigInteger r = switch (w) {
                case "+" -> x.add(y);
                case "-" -> x.subtract(y);
                default -> x.multiply(y);
            };
            int value = r.mod(BigInteger.valueOf(P)).intValue();
            postOrder.add(value);
            return new int[] {value, 1 + Math.max(a[1], b[1])};
        }
    }

    @ParameterizedTest
    @EnumSource(Format.class)
    void answersMatchAnIndependentEvaluation(Format f) {
        for (Split s : Split.values()) {
            for (long i = 0; i < 500; i++) {
                Example e = task.example(s, i, f);
                Layouts.checkFrame(e, v, f);
                int[] q = Layouts.question(e, v, f);
                String[] words = Arrays.stream(q).mapToObj(v::word).toArray(String[]::new);
                Eval ev = new Eval(words);
                int[] root = ev.node();
                assertEquals(words.length, ev.pos, "the question is exactly one expression");
                assertEquals(root[1], e.difficulty(), "difficulty = tree depth");
                assertEquals(String.join(" ", words), e.key());
                assertArrayEquals(new int[] {v.id(Integer.toString(root[0]))}, e.answer());
                int[] post = ev.postOrder.stream().mapToInt(x -> v.id(Integer.toString(x))).toArray();
                assertArrayEquals(post, e.intermediates(), "post-order values of the operators");
                if (f == Format.COT) {
                    assertArrayEquals(Arrays.copyOf(post, post.length - 1), Layouts.steps(e, v),
                            "COT lists every sub-expression's value before the answer");
                }
                assertTrue(e.length() <= task.maxLength(f));
            }
        }
    }

    @Test
    void deterministic() {
        ModArithTask again = new ModArithTask(P, D_TRAIN, D_TEST, 0.2, 11);
        for (Split s : Split.values()) {
            for (long i = 0; i < 200; i++) {
                assertEquals(task.example(s, i, Format.COT), again.example(s, i, Format.COT));
            }
        }
        assertNotEquals(task.example(Split.TRAIN, 0, Format.DIRECT).key(), task.example(Split.TRAIN, 1, Format.DIRECT).key());
    }

    @Test
    void heldOutExpressionsNeverOccurInTraining() {
        Map<String, Integer> train = keys(Split.TRAIN, 20_000);
        Map<String, Integer> validation = keys(Split.VALIDATION, 2_000);
        Map<String, Integer> test = keys(Split.TEST, 2_000);
        for (String k : test.keySet()) {
            assertTrue(!train.containsKey(k) && !validation.containsKey(k), "TEST expression " + k + " leaks");
        }
        for (String k : validation.keySet()) {
            assertTrue(!train.containsKey(k), "VALIDATION expression " + k + " leaks");
        }
        assertTrue(train.values().stream().allMatch(d -> d >= 1 && d <= D_TRAIN));
        assertTrue(test.values().stream().anyMatch(d -> d > D_TRAIN), "TEST has deeper trees than TRAIN");
        assertTrue(test.values().stream().anyMatch(d -> d <= D_TRAIN), "and in-range ones");
        assertTrue(test.values().stream().allMatch(d -> d <= D_TEST));
        // Depth-1 expressions are few (3 · 7 · 7); the split still gets its share of them.
        Set<String> depthOne = new HashSet<>();
        train.forEach((k, d) -> {
            if (d == 1) {
                depthOne.add(k);
            }
        });
        assertTrue(depthOne.size() > 100 && depthOne.size() < 147, "TRAIN holds most, not all, depth-1 expressions");
    }

    private Map<String, Integer> keys(Split s, int n) {
        Map<String, Integer> out = new HashMap<>();
        for (long i = 0; i < n; i++) {
            Example e = task.example(s, i, Format.DIRECT);
            out.put(e.key(), e.difficulty());
        }
        return out;
    }

    @Test
    void vocabularyAndLengths() {
        assertEquals(4 + 2 + 3 + P, v.size(), "specials, ? =, + - *, the numbers");
        assertEquals(2 * 31 + 5, task.maxLength(Format.DIRECT), "2^5 - 1 operators at most");
        assertEquals(3 * 31 + 5, task.maxLength(Format.COT));
    }

    @Test
    void badParametersAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> new ModArithTask(1, 1, 2, 0.2, 0));
        assertThrows(IllegalArgumentException.class, () -> new ModArithTask(7, 3, 2, 0.2, 0));
        assertThrows(IllegalArgumentException.class, () -> new ModArithTask(7, 0, 2, 0.2, 0));
        assertThrows(IllegalArgumentException.class, () -> new ModArithTask(7, 2, 11, 0.2, 0));
        // 12 expressions with 1% held out: no VALIDATION or TEST expression exists.
        IllegalArgumentException tiny = assertThrows(IllegalArgumentException.class, () -> new ModArithTask(2, 1, 1, 0.01, 0));
        assertTrue(tiny.getMessage().contains("too few"), tiny.getMessage());
    }
}
