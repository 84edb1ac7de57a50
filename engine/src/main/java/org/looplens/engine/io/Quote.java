package org.looplens.engine.io;

/**
 * Quotes names taken from files for error messages, which must stay one line: control characters
 * are escaped and very long names cut, since a hostile header can contain anything.
 */
final class Quote {
    private static final int MAX_LENGTH = 200;

    private Quote() {}

    static String of(String s) {
        StringBuilder b = new StringBuilder(Math.min(s.length(), MAX_LENGTH) + 8).append('\'');
        for (int i = 0; i < s.length() && i < MAX_LENGTH; i++) {
            char c = s.charAt(i);
            if (Character.isISOControl(c)) {
                b.append(String.format("\\u%04x", (int) c));
            } else {
                b.append(c);
            }
        }
        if (s.length() > MAX_LENGTH) {
            b.append("...");
        }
        return b.append('\'').toString();
    }
}
