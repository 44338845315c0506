package com.example.switchboard.acme;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.api.provider.RelayRequest;
import dev.switchboard.api.provider.TranslatedResponse;
import dev.switchboard.api.provider.Usage;

/**
 * Chat between the OpenAI shapes and Acme's. Acme takes {@code messages} as OpenAI does but calls {@code
 * max_tokens} {@code max_output}; it answers {@code {"id", "created", "reply": {"text"}, "stop": "end" |
 * "length", "tokens": {"in", "out"}}}.
 */
final class AcmeChat {

    private AcmeChat() {
    }

    static ObjectNode request(RelayRequest request, ObjectMapper mapper) {
        JsonNode in = request.body();
        ObjectNode out = mapper.createObjectNode();
        out.put("model", request.upstreamModel());
        out.set("messages", in.path("messages"));
        if (in.has("max_tokens")) {
            out.set("max_output", in.get("max_tokens"));
        }
        if (in.has("temperature")) {
            out.set("temperature", in.get("temperature"));
        }
        if (request.stream()) {
            out.put("stream", true);
        }
        return out;
    }

    static TranslatedResponse response(RelayRequest request, JsonNode body, ObjectMapper mapper) {
        Usage usage = usage(body.path("tokens"));
        ObjectNode out = mapper.createObjectNode();
        out.put("id", "chatcmpl-" + body.path("id").asText(request.requestId()));
        out.put("object", "chat.completion");
        out.put("created", body.path("created").asLong(System.currentTimeMillis() / 1000));
        out.put("model", request.model());
        ObjectNode choice = out.putArray("choices").addObject();
        choice.put("index", 0);
        choice.putObject("message").put("role", "assistant").put("content", body.path("reply").path("text").asText(""));
        choice.put("finish_reason", finishReason(body.path("stop").asText(null)));
        ObjectNode u = out.putObject("usage");
        u.put("prompt_tokens", usage.promptTokens());
        u.put("completion_tokens", usage.completionTokens());
        u.put("total_tokens", usage.totalTokens());
        return new TranslatedResponse(out, usage);
    }

    static Usage usage(JsonNode tokens) {
        return tokens.isObject() ? Usage.of(tokens.path("in").asLong(), tokens.path("out").asLong()) : Usage.NONE;
    }

    static String finishReason(String stop) {
        if (stop == null) {
            return null;
        }
        return switch (stop) {
            case "end" -> "stop";
            case "length" -> "length";
            default -> stop;
        };
    }
}
