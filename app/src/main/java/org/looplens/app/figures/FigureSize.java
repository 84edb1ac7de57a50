package org.looplens.app.figures;

import java.util.Locale;

/**
 * Paper sizes for a figure, in inches, with the font size that stays readable at that size once
 * printed: a single column of a two-column paper, or the full text width.
 */
public enum FigureSize {
    ONE_COLUMN(3.5, 2.6, 8f),
    TWO_COLUMN(7.0, 3.2, 9f),
    SCREEN(10.0, 6.0, 12f);

    private final double widthInches;
    private final double heightInches;
    private final float fontPoints;

    FigureSize(double widthInches, double heightInches, float fontPoints) {
        this.widthInches = widthInches;
        this.heightInches = heightInches;
        this.fontPoints = fontPoints;
    }

    /** Width in PostScript points (1/72 inch), the unit SVG and PDF pages are laid out in. */
    public double widthPoints() {
        return widthInches * 72;
    }

    public double heightPoints() {
        return heightInches * 72;
    }

    public float fontPoints() {
        return fontPoints;
    }

    public String key() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    public static FigureSize parse(String key) {
        for (FigureSize s : values()) {
            if (s.key().equals(key)) {
                return s;
            }
        }
        throw new IllegalArgumentException("'" + key + "' is not a figure size; choose one-column, two-column or screen");
    }
}
