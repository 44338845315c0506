package dev.switchboard.core.relay;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.api.provider.Operation;

/**
 * The checks of the relay contract on the fields the gateway uses; everything else is the upstream's to judge.
 */
final class BodyRules {

    /** Moderations may omit the model, as OpenAI's API allows; routing then uses this name. */
    static final String DEFAULT_MODERATION_MODEL = "omni-moderation-latest";

    private BodyRules() {
    }

    /**
     * @param op the operation
     * @param body the parsed body
     * @return the model name asked for
     */
    static String check(Operation op, ObjectNode body) {
        String model = model(op, body);
        switch (op) {
            case CHAT -> {
                JsonNode messages = required(body, "messages");
                if (!messages.isArray() || messages.isEmpty()) {
                    throw RelayError.invalid("invalid_value", "messages", "messages must be a non-empty array");
                }
                for (int i = 0; i < messages.size(); i++) {
                    JsonNode m = messages.get(i);
                    if (!m.isObject() || !m.path("role").isTextual()) {
                        throw RelayError.invalid("invalid_value", "messages[" + i + "]",
                                "messages[" + i + "] must be an object with a string role");
                    }
                }
            }
            case COMPLETIONS -> stringOrArray(body, "prompt");
            case EMBEDDINGS -> stringOrArray(body, "input");
            case MODERATIONS -> stringOrArray(body, "input");
            case RERANK -> {
                if (!required(body, "query").isTextual()) {
                    throw RelayError.invalid("invalid_value", "query", "query must be a string");
                }
                JsonNode docs = required(body, "documents");
                if (!docs.isArray() || docs.isEmpty()) {
                    throw RelayError.invalid("invalid_value", "documents", "documents must be a non-empty array");
                }
            }
            case IMAGES -> text(body, "prompt");
            case SPEECH -> {
                text(body, "input");
                text(body, "voice");
            }
            default -> {
                // Multipart operations are checked on their form fields.
            }
        }
        JsonNode stream = body.get("stream");
        if (stream != null && !stream.isNull() && !stream.isBoolean()) {
            throw RelayError.invalid("invalid_value", "stream", "stream must be true or false");
        }
        JsonNode options = body.get("stream_options");
        if (options != null && !options.isNull() && !options.isObject()) {
            throw RelayError.invalid("invalid_value", "stream_options", "stream_options must be an object");
        }
        return model;
    }

    private static String model(Operation op, ObjectNode body) {
        JsonNode m = body.get("model");
        if ((m == null || m.isNull()) && op == Operation.MODERATIONS) {
            return DEFAULT_MODERATION_MODEL;
        }
        if (m == null || m.isNull()) {
            throw RelayError.invalid("missing_field", "model", "model is required");
        }
        if (!m.isTextual() || m.textValue().isBlank()) {
            throw RelayError.invalid("invalid_value", "model", "model must be a non-empty string");
        }
        return m.textValue();
    }

    private static JsonNode required(ObjectNode body, String field) {
        JsonNode v = body.get(field);
        if (v == null || v.isNull()) {
            throw RelayError.invalid("missing_field", field, field + " is required");
        }
        return v;
    }

    private static void text(ObjectNode body, String field) {
        if (!required(body, field).isTextual()) {
            throw RelayError.invalid("invalid_value", field, field + " must be a string");
        }
    }

    private static void stringOrArray(ObjectNode body, String field) {
        JsonNode v = required(body, field);
        if (!(v.isTextual() || (v.isArray() && !v.isEmpty()))) {
            throw RelayError.invalid("invalid_value", field, field + " must be a string or a non-empty array");
        }
    }
}
