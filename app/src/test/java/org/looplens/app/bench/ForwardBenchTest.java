package org.looplens.app.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** The forward benchmark's work count, worked out by hand for preset S. */
class ForwardBenchTest {
    @Test
    void multiplyAddsPerTokenOfPresetS() {
        BenchPreset s = BenchPreset.parse("S");
        // per layer: q,k,v 128·(128+64+64) + o 128·128 + MLP 3·128·256 + attention 32 keys · 4 heads · 32 · 2
        long layer = 128 * 256 + 128 * 128 + 3 * 128 * 256 + 32 * 4 * 32 * 2;
        long loop = 4 * (2 * layer + 128); // T = 4 steps of 2 layers and the exit gate
        assertEquals(loop + 128 * 64, ForwardBench.multiplyAddsPerToken(s, "none"));
        assertEquals(loop + 4 * 128 * 64, ForwardBench.multiplyAddsPerToken(s, "steps"));
        assertEquals(loop + 4 * 128 * 64, ForwardBench.multiplyAddsPerToken(s, "all"));
    }
}
