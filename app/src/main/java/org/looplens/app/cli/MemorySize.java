package org.looplens.app.cli;

import java.util.Locale;
import org.looplens.engine.InvalidInputException;

/** A byte count as a person writes it: {@code 1500000}, {@code 512k}, {@code 64m}, {@code 8g} (binary units). */
public final class MemorySize {
    private MemorySize() {}

    /** The bytes {@code text} stands for, or an error naming {@code option}. */
    public static long parse(String text, String option) {
        String s = text.strip().toLowerCase(Locale.ROOT);
        if (s.endsWith("b")) {
            s = s.substring(0, s.length() - 1);
        }
        int shift = 0;
        if (!s.isEmpty()) {
            switch (s.charAt(s.length() - 1)) {
                case 'k' -> shift = 10;
                case 'm' -> shift = 20;
                case 'g' -> shift = 30;
                case 't' -> shift = 40;
                default -> { }
            }
        }
        String digits = shift == 0 ? s : s.substring(0, s.length() - 1);
        long n;
        try {
            n = Long.parseLong(digits);
        } catch (NumberFormatException e) {
            throw new InvalidInputException(option, "'" + text + "' is not a size (bytes, or a number with k, m or g)");
        }
        if (n < 1 || n > (Long.MAX_VALUE >> shift)) {
            throw new InvalidInputException(option, "'" + text + "' is not a positive size that fits in 8 exabytes");
        }
        return n << shift;
    }
}
