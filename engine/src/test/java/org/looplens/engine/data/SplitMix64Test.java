package org.looplens.engine.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SplitMix64Test {

    @Test
    void sameKeySameStreamAndStateResumes() {
        SplitMix64 a = SplitMix64.keyed(1, 2, 3);
        SplitMix64 b = SplitMix64.keyed(1, 2, 3);
        for (int i = 0; i < 100; i++) {
            assertEquals(a.nextLong(), b.nextLong());
        }
        SplitMix64 resumed = new SplitMix64(a.state());
        assertEquals(a.nextLong(), resumed.nextLong());
        assertNotEquals(SplitMix64.keyed(1, 2, 3).nextLong(), SplitMix64.keyed(1, 2, 4).nextLong());
        assertNotEquals(SplitMix64.hash(1, 2), SplitMix64.hash(2, 1), "key order matters");
    }

    @Test
    void boundedDrawsStayInRangeAndCoverIt() {
        SplitMix64 r = new SplitMix64(42);
        Set<Integer> seen = new HashSet<>();
        for (int i = 0; i < 10_000; i++) {
            int v = r.nextInt(7);
            assertTrue(v >= 0 && v < 7);
            seen.add(v);
            int w = r.nextInt(3, 5);
            assertTrue(w >= 3 && w <= 5);
            long x = r.nextLong(1_000_000_000_000L);
            assertTrue(x >= 0 && x < 1_000_000_000_000L);
            double d = r.nextDouble();
            assertTrue(d >= 0 && d < 1);
        }
        assertEquals(7, seen.size());
    }
}
