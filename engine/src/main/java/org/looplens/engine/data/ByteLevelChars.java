package org.looplens.engine.data;

/**
 * GPT-2's byte-to-character table, which Hugging Face's ByteLevel pre-tokenizer and decoder use:
 * printable Latin-1 bytes stand for themselves, the other 68 bytes map to U+0100 and up in order.
 * A byte vocabulary must name its tokens this way for its tokenizer.json to work.
 */
final class ByteLevelChars {
    private static final String[] CHARS = new String[256];

    static {
        int next = 256;
        for (int b = 0; b < 256; b++) {
            boolean printable = (b >= '!' && b <= '~') || (b >= 0xA1 && b <= 0xAC) || (b >= 0xAE && b <= 0xFF);
            CHARS[b] = Character.toString(printable ? b : next++);
        }
    }

    private ByteLevelChars() {}

    /** The character standing for byte value {@code b} (0..255). */
    static String of(int b) {
        return CHARS[b];
    }
}
