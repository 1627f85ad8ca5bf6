package org.pagechange.core.source;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.exc.InputCoercionException;
import com.fasterxml.jackson.core.exc.StreamReadException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;

import java.io.IOException;
import java.util.Collection;
import java.util.Map;

/**
 * Turns Jackson's read failures into short rejection reasons that name the line, column or field.
 */
final class JsonErrors {

    private static final int MAX_DETAIL = 200;

    private JsonErrors() {}

    static String reason(IOException e) {
        if (e instanceof InputCoercionException c) {
            return "number out of range" + at(c.getLocation()) + ": " + detail(c);
        }
        if (e instanceof StreamReadException s) {
            return "malformed JSON" + at(s.getLocation()) + ": " + detail(s);
        }
        if (e instanceof JsonMappingException m) {
            return mapping(m);
        }
        return "unreadable payload: " + e.getMessage();
    }

    private static String mapping(JsonMappingException m) {
        String field = path(m);
        if (m instanceof ValueInstantiationException && m.getCause() != null) {
            // Generated enums (page_change_kind, changelog_kind) reject unknown values this way.
            return "field '"
                    + field
                    + "' has unsupported value '"
                    + m.getCause().getMessage()
                    + "'";
        }
        if (m instanceof InvalidFormatException f && f.getTargetType() != null) {
            return "field '"
                    + field
                    + "' is not "
                    + jsonType(f.getTargetType())
                    + ": "
                    + f.getValue();
        }
        if (field.isEmpty()) {
            String message = String.valueOf(m.getOriginalMessage());
            if (message.startsWith("No content")) {
                return "empty payload";
            }
            if (message.startsWith("Trailing token")) {
                return "malformed JSON" + at(m.getLocation()) + ": content after the event object";
            }
            return "payload is not a JSON object" + at(m.getLocation());
        }
        if (m instanceof MismatchedInputException mi && mi.getTargetType() != null) {
            return "field '" + field + "' is not " + jsonType(mi.getTargetType());
        }
        return "field '" + field + "': " + detail(m);
    }

    private static String jsonType(Class<?> type) {
        if (Number.class.isAssignableFrom(type) || type == long.class || type == int.class) {
            return "an integer";
        }
        if (type == String.class) {
            return "a string";
        }
        if (type == Boolean.class || type == boolean.class) {
            return "a boolean";
        }
        if (Collection.class.isAssignableFrom(type)) {
            return "an array";
        }
        if (type.isEnum()) {
            return "one of the schema's values";
        }
        return Map.class.isAssignableFrom(type) || !type.isPrimitive() ? "an object" : "valid";
    }

    private static String path(JsonMappingException m) {
        StringBuilder out = new StringBuilder();
        for (JsonMappingException.Reference ref : m.getPath()) {
            if (ref.getFieldName() != null) {
                if (!out.isEmpty()) {
                    out.append('.');
                }
                out.append(ref.getFieldName());
            } else if (ref.getIndex() >= 0) {
                out.append('[').append(ref.getIndex()).append(']');
            }
        }
        return out.toString();
    }

    private static String at(JsonLocation location) {
        if (location == null || location.getLineNr() < 0) {
            return "";
        }
        return " at line " + location.getLineNr() + ", column " + location.getColumnNr();
    }

    private static String detail(JsonProcessingException e) {
        String message = String.valueOf(e.getOriginalMessage());
        int newline = message.indexOf('\n');
        if (newline >= 0) {
            message = message.substring(0, newline);
        }
        return message.length() > MAX_DETAIL ? message.substring(0, MAX_DETAIL) + "…" : message;
    }
}
