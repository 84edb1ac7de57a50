package org.looplens.app.figures;

import java.util.Locale;

/** The files a figure can be written to. */
public enum FigureFormat {
    PNG, SVG, PDF, CSV, JSON;

    public String extension() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Whether this format holds the drawing (the others hold the numbers behind it). */
    public boolean isDrawing() {
        return this == PNG || this == SVG || this == PDF;
    }

    public static FigureFormat parse(String key) {
        try {
            return valueOf(key.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("'" + key + "' is not a figure format; choose png, svg, pdf, csv or json");
        }
    }
}
