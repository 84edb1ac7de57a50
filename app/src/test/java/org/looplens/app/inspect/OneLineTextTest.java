package org.looplens.app.inspect;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class OneLineTextTest {
    @Test
    void lineBreaksAndBackslashesRoundTrip() {
        String text = "<|im_start|>user\nC:\\new\\\\x<|im_end|>\n";
        String shown = "<|im_start|>user\\nC:\\\\new\\\\\\\\x<|im_end|>\\n";
        assertEquals(shown, OneLineText.escape(text));
        assertEquals(text, OneLineText.unescape(shown));
        assertEquals("a\\tb \\", OneLineText.unescape("a\\tb \\"), "other escapes and a final backslash stay");
        assertEquals("<bos> e3 r1 ?", OneLineText.unescape("<bos> e3 r1 ?"));
    }
}
