package org.looplens.app.cli;

import org.looplens.engine.InvalidInputException;

/** A comma-separated list of steering strengths, each a finite number. */
final class Strengths {
    private Strengths() {}

    static double[] parse(String list, String option) {
        String[] words = list.split(",");
        double[] out = new double[words.length];
        for (int i = 0; i < words.length; i++) {
            try {
                out[i] = Double.parseDouble(words[i].trim());
            } catch (NumberFormatException e) {
                throw new InvalidInputException(option, "'" + words[i].trim() + "' is not a number");
            }
            if (!Double.isFinite(out[i])) {
                throw new InvalidInputException(option, "strengths must be finite, got " + words[i].trim());
            }
        }
        return out;
    }
}
