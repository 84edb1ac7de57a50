package org.looplens.engine.data;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/**
 * How an example's answer is written. DIRECT asks for the answer right after the question, so
 * every intermediate step must happen inside the model (in its loop iterations); COT writes the
 * intermediate results out first, so the model can compute them one token at a time. Comparing
 * the two shows how much reasoning a looped model does latently.
 */
public enum Format {
    DIRECT,
    COT;

    /** The JSON spelling: {@code "direct"} or {@code "cot"}. */
    @JsonValue
    public String jsonName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Reads the JSON spelling; anything else is an error that lists both. */
    @JsonCreator
    public static Format parse(String text) {
        for (Format f : values()) {
            if (f.jsonName().equals(text)) {
                return f;
            }
        }
        throw new IllegalArgumentException("must be \"direct\" or \"cot\", got \"" + text + "\"");
    }
}
