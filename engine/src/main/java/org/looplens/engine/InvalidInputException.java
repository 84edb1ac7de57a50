package org.looplens.engine;

/**
 * Something the user gave us is wrong: a file, a field, a token, an option.
 *
 * <p>The message is one line that names the source (usually a file) and the problem, so the CLI
 * can print it as is and exit with code 2. Internal errors use other exception types. Line breaks
 * and other control characters are escaped here, once, because problems quote what the user
 * wrote (a field name, a value) and a file can put anything there.
 */
public class InvalidInputException extends RuntimeException {
    private final String source;
    private final String problem;

    public InvalidInputException(String source, String problem) {
        super(oneLine(source) + ": " + oneLine(problem));
        this.source = oneLine(source);
        this.problem = oneLine(problem);
    }

    public InvalidInputException(String source, String problem, Throwable cause) {
        super(oneLine(source) + ": " + oneLine(problem), cause);
        this.source = oneLine(source);
        this.problem = oneLine(problem);
    }

    /** The text with control characters as escapes: {@code \n}, {@code \r}, {@code \t}, else {@code \}{@code uXXXX}. */
    private static String oneLine(String s) {
        if (s == null || s.chars().noneMatch(Character::isISOControl)) {
            return s;
        }
        StringBuilder b = new StringBuilder(s.length() + 8);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                default -> {
                    if (Character.isISOControl(c)) {
                        b.append(String.format("\\u%04x", (int) c));
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        return b.toString();
    }

    /** The file or input the problem was found in. */
    public String source() {
        return source;
    }

    /** What is wrong, without the source. */
    public String problem() {
        return problem;
    }
}
