package org.looplens.engine.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;

/** Independent checks of the shared question/answer layout, written from its description. */
final class Layouts {
    private Layouts() {}

    /** Where the question ends: the first '=' (DIRECT) or '?' (COT) separator after {@code <bos>}. */
    static int separator(Example e, Vocabulary v, Format f) {
        int sep = v.id(f == Format.COT ? "?" : "=");
        for (int i = 1; i < e.tokens().length; i++) {
            if (e.tokens()[i] == sep) {
                return i;
            }
        }
        throw new AssertionError("no separator in " + e.text());
    }

    /** The question tokens between {@code <bos>} and the separator. */
    static int[] question(Example e, Vocabulary v, Format f) {
        return Arrays.copyOfRange(e.tokens(), 1, separator(e, v, f));
    }

    /** COT steps between '?' and '='. */
    static int[] steps(Example e, Vocabulary v) {
        int ask = separator(e, v, Format.COT);
        int eq = e.answerStart() - 1;
        assertEquals(v.id("="), e.tokens()[eq], "the answer follows '='");
        return Arrays.copyOfRange(e.tokens(), ask + 1, eq);
    }

    /**
     * Checks the frame ({@code <bos>} … answer {@code <eos>}) and that the loss counts exactly the
     * predictions of the tokens after the separator: answer + {@code <eos>} in DIRECT, steps + '=' +
     * answer + {@code <eos>} in COT.
     */
    static void checkFrame(Example e, Vocabulary v, Format f) {
        int[] t = e.tokens();
        assertEquals(Vocabulary.BOS, t[0], "starts with <bos>");
        assertEquals(Vocabulary.EOS, t[t.length - 1], "ends with <eos>");
        assertEquals(t.length - 1, e.lossMask().length);
        assertEquals(e.answerStart() + e.answer().length, t.length - 1, "the answer runs up to <eos>");
        int sep = separator(e, v, f);
        if (f == Format.DIRECT) {
            assertEquals(sep + 1, e.answerStart(), "DIRECT: answer right after '='");
        }
        for (int i = 0; i < e.lossMask().length; i++) {
            // mask[i]: the prediction of tokens[i + 1] counts
            assertEquals(i + 1 > sep, e.lossMask()[i], "mask at " + i + " of " + e.text());
        }
        assertArrayEquals(Arrays.copyOfRange(t, e.answerStart(), e.answerStart() + e.answer().length), e.answer());
        assertEquals(v.decode(t), e.text());
    }
}
