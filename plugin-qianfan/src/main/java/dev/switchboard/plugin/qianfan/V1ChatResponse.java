package dev.switchboard.plugin.qianfan;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.api.provider.RelayRequest;
import dev.switchboard.api.provider.TranslatedResponse;
import dev.switchboard.api.provider.Usage;

/**
 * A v1 chat answer as an OpenAI {@code chat.completion}: {@code result} becomes the message content, Baidu's
 * {@code id} and {@code created} are kept, {@code model} is the name the client asked for, {@code
 * function_call} becomes one tool call, and {@code finish_reason} is mapped by {@link #finishReason}.
 */
final class V1ChatResponse {

    private V1ChatResponse() {
    }

    /**
     * @param request the client's request
     * @param body Baidu's answer (already checked for {@code error_code})
     * @param mapper the plugin's mapper
     * @return the OpenAI answer and its usage
     */
    static TranslatedResponse translate(RelayRequest request, JsonNode body, ObjectMapper mapper) {
        ObjectNode out = mapper.createObjectNode();
        String id = id(request, body);
        out.put("id", id);
        out.put("object", "chat.completion");
        out.put("created", created(body));
        out.put("model", request.model());
        ObjectNode choice = out.putArray("choices").addObject();
        choice.put("index", 0);
        ObjectNode message = choice.putObject("message");
        message.put("role", "assistant");
        String result = body.path("result").asText("");
        JsonNode call = body.get("function_call");
        boolean tool = call != null && call.isObject();
        if (tool && result.isEmpty()) {
            message.putNull("content");
        } else {
            message.put("content", result);
        }
        if (tool) {
            message.putArray("tool_calls").add(toolCall(id, call, mapper));
        }
        choice.putNull("logprobs");
        choice.put("finish_reason", finishReason(body));
        Usage usage = usage(body.get("usage"));
        ObjectNode u = out.putObject("usage");
        u.put("prompt_tokens", usage.promptTokens());
        u.put("completion_tokens", usage.completionTokens());
        u.put("total_tokens", usage.totalTokens());
        return new TranslatedResponse(out, usage);
    }

    static String id(RelayRequest request, JsonNode body) {
        return body.path("id").isTextual() ? body.get("id").textValue() : "chatcmpl-" + request.requestId();
    }

    static long created(JsonNode body) {
        return body.path("created").canConvertToLong() && body.path("created").asLong() > 0
                ? body.get("created").asLong() : System.currentTimeMillis() / 1000;
    }

    /**
     * @param answer a v1 answer or stream event
     * @return the OpenAI finish reason: {@code normal}/{@code stop} -> stop, a function call -> tool_calls, a
     *     content-filtered answer ({@code need_clear_history}) -> content_filter, {@code length} kept
     */
    static String finishReason(JsonNode answer) {
        if (answer.path("need_clear_history").asBoolean(false)) {
            return "content_filter";
        }
        if (answer.path("function_call").isObject()) {
            return "tool_calls";
        }
        return switch (answer.path("finish_reason").asText("normal")) {
            case "length" -> "length";
            case "content_filter" -> "content_filter";
            case "function_call" -> "tool_calls";
            default -> "stop";
        };
    }

    static ObjectNode toolCall(String id, JsonNode call, ObjectMapper mapper) {
        ObjectNode tc = mapper.createObjectNode();
        tc.put("id", "call_" + id);
        tc.put("type", "function");
        ObjectNode f = tc.putObject("function");
        f.put("name", call.path("name").asText(""));
        JsonNode args = call.path("arguments");
        f.put("arguments", args.isTextual() ? args.textValue() : args.isMissingNode() ? "{}" : args.toString());
        return tc;
    }

    static Usage usage(JsonNode u) {
        if (u == null || !u.isObject()) {
            return Usage.NONE;
        }
        return Usage.of(u.path("prompt_tokens").asLong(0), u.path("completion_tokens").asLong(0));
    }
}
