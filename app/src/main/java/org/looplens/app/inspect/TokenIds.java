package org.looplens.app.inspect;

import org.looplens.engine.InvalidInputException;

/** Token ids written as {@code 32,49,39}. */
public final class TokenIds {
    private TokenIds() {}

    public static int[] parse(String spec) {
        String trimmed = spec.trim();
        if (trimmed.isEmpty()) {
            throw new InvalidInputException("--tokens", "empty input");
        }
        String[] parts = trimmed.split(",");
        int[] ids = new int[parts.length];
        for (int i = 0; i < parts.length; i++) {
            String p = parts[i].trim();
            try {
                ids[i] = Integer.parseInt(p);
            } catch (NumberFormatException e) {
                throw new InvalidInputException("--tokens", "'" + p + "' is not a token id");
            }
        }
        return ids;
    }

    /** The ids written back the same way: {@code 32,49,39}. */
    public static String format(int[] ids) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < ids.length; i++) {
            sb.append(i == 0 ? "" : ",").append(ids[i]);
        }
        return sb.toString();
    }
}
