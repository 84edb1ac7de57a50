package org.looplens.engine.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class IndexPermutationTest {

    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3, 7, 64, 1000, 4097})
    void isABijectionOnItsRange(long n) {
        IndexPermutation p = new IndexPermutation(n, 9);
        Set<Long> images = new HashSet<>();
        for (long x = 0; x < n; x++) {
            long y = p.apply(x);
            assertEquals(true, y >= 0 && y < n, "image in range");
            images.add(y);
        }
        assertEquals(n, images.size());
    }

    @ParameterizedTest
    @ValueSource(longs = {1000})
    void differentKeysShuffleDifferently(long n) {
        IndexPermutation a = new IndexPermutation(n, 1);
        IndexPermutation b = new IndexPermutation(n, 2);
        int same = 0;
        for (long x = 0; x < n; x++) {
            if (a.apply(x) == b.apply(x)) {
                same++;
            }
        }
        assertNotEquals(n, same);
    }
}
