package org.looplens.app.inspect;

/**
 * Text with line breaks in a one-line field: a line break is shown as {@code \n} and a backslash
 * as {@code \\}, so ChatML prompts (whose turns end in line breaks) survive the inspector's prompt
 * field, which drops typed or pasted line breaks. A backslash before anything else stays as it is.
 */
public final class OneLineText {
    private OneLineText() {}

    public static String escape(String text) {
        return text.replace("\\", "\\\\").replace("\n", "\\n");
    }

    public static String unescape(String shown) {
        StringBuilder sb = new StringBuilder(shown.length());
        for (int i = 0; i < shown.length(); i++) {
            char c = shown.charAt(i);
            if (c == '\\' && i + 1 < shown.length() && (shown.charAt(i + 1) == 'n' || shown.charAt(i + 1) == '\\')) {
                sb.append(shown.charAt(++i) == 'n' ? '\n' : '\\');
            } else {
                sb.append(c);
            }
        }
        return sb.toString();
    }
}
