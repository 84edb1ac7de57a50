package org.looplens.engine.config;

import com.fasterxml.jackson.databind.JsonNode;
import org.looplens.engine.InvalidInputException;

/**
 * Typed reads of fields from a JSON object, with errors that name the file and the field.
 * Jackson's own exceptions are too chatty for a user; this turns every bad field into one line.
 */
final class JsonFields {
    private final JsonNode root;
    private final String source;

    JsonFields(JsonNode root, String source) {
        this.root = root;
        this.source = source;
    }

    boolean has(String field) {
        JsonNode n = root.get(field);
        return n != null && !n.isNull();
    }

    int requiredInt(String field) {
        if (!has(field)) {
            throw new InvalidInputException(source, "missing required field '" + field + "'");
        }
        return intValue(field);
    }

    int optionalInt(String field, int fallback) {
        return has(field) ? intValue(field) : fallback;
    }

    double optionalDouble(String field, double fallback) {
        if (!has(field)) {
            return fallback;
        }
        JsonNode n = root.get(field);
        if (!n.isNumber()) {
            throw new InvalidInputException(source, "field '" + field + "' must be a number, got " + n);
        }
        return n.doubleValue();
    }

    boolean optionalBoolean(String field, boolean fallback) {
        if (!has(field)) {
            return fallback;
        }
        JsonNode n = root.get(field);
        if (!n.isBoolean()) {
            throw new InvalidInputException(source, "field '" + field + "' must be true or false, got " + n);
        }
        return n.booleanValue();
    }

    String optionalString(String field, String fallback) {
        if (!has(field)) {
            return fallback;
        }
        JsonNode n = root.get(field);
        if (!n.isTextual()) {
            throw new InvalidInputException(source, "field '" + field + "' must be a string, got " + n);
        }
        return n.textValue();
    }

    private int intValue(String field) {
        JsonNode n = root.get(field);
        if (!n.isIntegralNumber() || !n.canConvertToInt()) {
            throw new InvalidInputException(source, "field '" + field + "' must be an integer, got " + n);
        }
        return n.intValue();
    }
}
