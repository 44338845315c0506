package dev.switchboard.core.json;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Typed reads of an input object's fields, each failing with a {@link BadInput} that names the field and the
 * expected type, e.g. {@code models must be a list of model names}.
 */
public final class Fields {

    private final JsonNode node;

    private Fields(JsonNode node) {
        this.node = node;
    }

    /**
     * @param node the input; must be a JSON object
     * @return a reader over it
     */
    public static Fields of(JsonNode node) {
        if (node == null || !node.isObject()) {
            throw new BadInput(400, "invalid_json", null, "the body must be a JSON object");
        }
        return new Fields(node);
    }

    /** @return the underlying object */
    public ObjectNode node() {
        return (ObjectNode) node;
    }

    /** @param name a field @return whether it is present (even as null) */
    public boolean has(String name) {
        return node.has(name);
    }

    /** @param name a field @return whether it is present and not null */
    public boolean present(String name) {
        return node.hasNonNull(name);
    }

    /**
     * @param name a field
     * @param fallback the value when absent or null
     * @return the string value
     */
    public String string(String name, String fallback) {
        JsonNode v = node.get(name);
        if (v == null || v.isNull()) {
            return fallback;
        }
        if (!v.isTextual()) {
            throw BadInput.invalid(name, name + " must be a string");
        }
        return v.textValue();
    }

    /**
     * @param name a field that must be a non-blank string
     * @return the value, trimmed
     */
    public String requiredString(String name) {
        String v = string(name, null);
        if (v == null || v.isBlank()) {
            throw new BadInput(400, "missing_field", name, name + " is required");
        }
        return v.trim();
    }

    /**
     * @param name a field
     * @param fallback the value when absent or null
     * @return the integer value
     */
    public long integer(String name, long fallback) {
        JsonNode v = node.get(name);
        if (v == null || v.isNull()) {
            return fallback;
        }
        if (!v.isIntegralNumber() || !v.canConvertToLong()) {
            throw BadInput.invalid(name, name + " must be an integer");
        }
        return v.longValue();
    }

    /**
     * @param name a field
     * @param fallback the value when absent or null
     * @return the integer value, within int range
     */
    public int intValue(String name, int fallback) {
        long v = integer(name, fallback);
        if (v < Integer.MIN_VALUE || v > Integer.MAX_VALUE) {
            throw BadInput.invalid(name, name + " is out of range");
        }
        return (int) v;
    }

    /**
     * @param name a field
     * @return the integer value, or {@code null} when absent or null
     */
    public Long optionalInteger(String name) {
        return present(name) ? integer(name, 0) : null;
    }

    /**
     * @param name a field
     * @param fallback the value when absent or null
     * @return the boolean value
     */
    public boolean bool(String name, boolean fallback) {
        JsonNode v = node.get(name);
        if (v == null || v.isNull()) {
            return fallback;
        }
        if (!v.isBoolean()) {
            throw BadInput.invalid(name, name + " must be true or false");
        }
        return v.booleanValue();
    }

    /**
     * @param name a field
     * @param what what the items are, for the message, e.g. {@code model names}
     * @param fallback the value when absent or null
     * @return the strings, trimmed, blanks and duplicates dropped
     */
    public List<String> stringList(String name, String what, List<String> fallback) {
        JsonNode v = node.get(name);
        if (v == null || v.isNull()) {
            return fallback;
        }
        if (!v.isArray()) {
            throw BadInput.invalid(name, name + " must be a list of " + what);
        }
        List<String> out = new ArrayList<>();
        for (JsonNode item : v) {
            if (!item.isTextual()) {
                throw BadInput.invalid(name, name + " must be a list of " + what);
            }
            String s = item.textValue().trim();
            if (!s.isEmpty() && !out.contains(s)) {
                out.add(s);
            }
        }
        return List.copyOf(out);
    }

    /**
     * @param name a field
     * @param fallback the value when absent or null
     * @return the object's string values, in order
     */
    public Map<String, String> stringMap(String name, Map<String, String> fallback) {
        JsonNode v = node.get(name);
        if (v == null || v.isNull()) {
            return fallback;
        }
        if (!v.isObject()) {
            throw BadInput.invalid(name, name + " must be an object of names to names");
        }
        Map<String, String> out = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> e : v.properties()) {
            if (!e.getValue().isTextual() || e.getValue().textValue().isBlank()) {
                throw BadInput.invalid(name, name + "." + e.getKey() + " must be a non-empty string");
            }
            out.put(e.getKey(), e.getValue().textValue().trim());
        }
        return out;
    }

    /**
     * @param name a field
     * @return the object value, or an empty object when absent or null
     */
    public ObjectNode object(String name) {
        JsonNode v = node.get(name);
        if (v == null || v.isNull()) {
            return Json.object();
        }
        if (!v.isObject()) {
            throw BadInput.invalid(name, name + " must be an object");
        }
        return (ObjectNode) v;
    }

    /**
     * Rejects fields outside {@code allowed}, so a typo is an error rather than a silent no-op.
     *
     * @param allowed the accepted field names
     */
    public void rejectUnknown(java.util.Set<String> allowed) {
        for (var it = node.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!allowed.contains(f)) {
                throw BadInput.invalid(f, "unknown field '" + f + "'");
            }
        }
    }
}
