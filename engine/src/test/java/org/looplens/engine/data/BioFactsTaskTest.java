package org.looplens.engine.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class BioFactsTaskTest {
    private static final int N = 300;
    private final BioFactsTask task = new BioFactsTask(N, 5);
    private final Vocabulary v = task.vocabulary();
    private final int attributes = BioFactsTask.attributes().size();

    @Test
    void everySplitWalksAllFactsOncePerEpoch() {
        for (Split s : Split.values()) {
            Set<String> keys = new HashSet<>();
            for (long i = 0; i < (long) N * attributes; i++) {
                keys.add(task.example(s, i, Format.DIRECT).key());
            }
            assertEquals(N * attributes, keys.size(), s + ": each fact exactly once in the first epoch");
        }
        assertTrue(!task.example(Split.TRAIN, 0, Format.DIRECT).key()
                        .equals(task.example(Split.TRAIN, (long) N * attributes, Format.DIRECT).key())
                || !task.example(Split.TRAIN, 1, Format.DIRECT).key()
                        .equals(task.example(Split.TRAIN, (long) N * attributes + 1, Format.DIRECT).key()),
                "each epoch is reshuffled");
    }

    @Test
    void sentencesStateTheStoredValues() {
        Set<String> names = new HashSet<>();
        for (int person = 0; person < N; person++) {
            int[] name = task.nameTokens(person);
            names.add(v.word(name[0]) + " " + v.word(name[1]));
        }
        assertEquals(N, names.size(), "names are distinct");
        List<String> attrs = BioFactsTask.attributes();
        for (long i = 0; i < 2000; i++) {
            Example e = task.example(Split.TRAIN, i, Format.DIRECT);
            Layouts.checkFrame(e, v, Format.DIRECT);
            assertEquals(e, task.example(Split.TRAIN, i, Format.COT), "COT = DIRECT");
            int[] q = Layouts.question(e, v, Format.DIRECT);
            assertEquals(3, q.length, "first name, last name, attribute");
            int a = attrs.indexOf(v.word(q[2]));
            int person = -1;
            for (int p = 0; p < N; p++) {
                int[] name = task.nameTokens(p);
                if (name[0] == q[0] && name[1] == q[1]) {
                    person = p;
                }
            }
            assertTrue(person >= 0 && a >= 0);
            int value = task.value(person, a);
            assertTrue(value >= 0 && value < BioFactsTask.valueCount(a));
            assertArrayEquals(new int[] {task.valueToken(a, value)}, e.answer());
            if (a == 0) {
                int year = Integer.parseInt(v.word(e.answer()[0]));
                assertTrue(year >= 1950 && year < 2010);
            }
        }
    }

    @Test
    void bitsOfKnowledgeCountsEveryAttribute() {
        double perPerson = 0;
        for (int a = 0; a < attributes; a++) {
            perPerson += Math.log(BioFactsTask.valueCount(a)) / Math.log(2);
        }
        assertEquals(N * perPerson, task.bitsOfKnowledge(), 1e-9);
        assertEquals(2 * task.bitsOfKnowledge(), new BioFactsTask(2 * N, 5).bitsOfKnowledge(), 1e-9);
    }

    @Test
    void deterministicAndSeeded() {
        BioFactsTask again = new BioFactsTask(N, 5);
        for (long i = 0; i < 100; i++) {
            assertEquals(task.example(Split.TEST, i, Format.DIRECT), again.example(Split.TEST, i, Format.DIRECT));
        }
        assertEquals(task.vocabulary().words(), again.vocabulary().words());
        assertTrue(!task.vocabulary().words().equals(new BioFactsTask(N, 6).vocabulary().words()));
        assertThrows(IllegalArgumentException.class, () -> new BioFactsTask(0, 1));
    }
}
