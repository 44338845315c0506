package dev.switchboard.plugin.qwen;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.api.provider.TranslatedResponse;

/**
 * A native chat answer turned into {@code chat.completion}: {@code output.choices} (or the older
 * {@code output.text} form), {@code request_id} as {@code id}, {@code input_tokens}/{@code output_tokens} as
 * prompt/completion tokens. The client sees the model name it asked for.
 */
final class NativeChatResponse {

    private NativeChatResponse() {
    }

    /**
     * @param body the native answer
     * @param clientModel the model name the client asked for
     * @param mapper the plugin's mapper
     * @return the OpenAI answer and its usage
     */
    static TranslatedResponse translate(JsonNode body, String clientModel, ObjectMapper mapper) {
        ObjectNode out = mapper.createObjectNode();
        out.put("id", body.path("request_id").asText(""));
        out.put("object", "chat.completion");
        out.put("created", System.currentTimeMillis() / 1000);
        out.put("model", clientModel);
        ArrayNode choices = out.putArray("choices");
        JsonNode output = body.path("output");
        if (output.path("choices").isArray()) {
            int i = 0;
            for (JsonNode c : output.get("choices")) {
                choices.add(choice(c.path("index").asInt(i), c.path("message"), c.get("finish_reason"),
                        c.get("logprobs"), mapper));
                i++;
            }
        } else {
            // result_format "text": {output:{text, finish_reason}}.
            ObjectNode message = mapper.createObjectNode();
            message.put("role", "assistant");
            message.put("content", output.path("text").asText(""));
            choices.add(choice(0, message, output.get("finish_reason"), null, mapper));
        }
        out.set("usage", NativeUsage.toOpenAi(body.get("usage"), mapper));
        return new TranslatedResponse(out, NativeUsage.read(body.get("usage")));
    }

    private static ObjectNode choice(int index, JsonNode m, JsonNode finish, JsonNode logprobs, ObjectMapper mapper) {
        ObjectNode choice = mapper.createObjectNode();
        choice.put("index", index);
        ObjectNode message = choice.putObject("message");
        message.put("role", "assistant");
        String content = text(m.get("content"));
        ArrayNode toolCalls = toolCalls(m.get("tool_calls"), mapper);
        if (toolCalls != null && content.isEmpty()) {
            message.putNull("content");
        } else {
            message.put("content", content);
        }
        String reasoning = text(m.get("reasoning_content"));
        if (!reasoning.isEmpty()) {
            message.put("reasoning_content", reasoning);
        }
        if (toolCalls != null) {
            message.set("tool_calls", toolCalls);
        }
        choice.set("logprobs", logprobs == null ? mapper.nullNode() : logprobs.deepCopy());
        String reason = finishReason(finish);
        if (toolCalls != null && "stop".equals(reason)) {
            reason = "tool_calls";
        }
        choice.put("finish_reason", reason);
        return choice;
    }

    private static ArrayNode toolCalls(JsonNode in, ObjectMapper mapper) {
        if (in == null || !in.isArray() || in.isEmpty()) {
            return null;
        }
        ArrayNode out = mapper.createArrayNode();
        for (JsonNode call : in) {
            ObjectNode c = out.addObject();
            c.put("id", call.path("id").asText(""));
            c.put("type", call.path("type").asText("function"));
            ObjectNode f = c.putObject("function");
            f.put("name", call.path("function").path("name").asText(""));
            JsonNode args = call.path("function").get("arguments");
            f.put("arguments", args == null || args.isNull() ? "" : args.isTextual() ? args.textValue()
                    : args.toString());
        }
        return out;
    }

    /**
     * @param finish DashScope's {@code finish_reason}: the string "null" until the end
     * @return OpenAI's finish reason, or {@code null} while the answer goes on
     */
    static String finishReason(JsonNode finish) {
        if (finish == null || finish.isNull()) {
            return null;
        }
        String r = finish.asText();
        return r.isEmpty() || r.equals("null") ? null : r;
    }

    /**
     * @param content a native message's content: a string, or the multimodal list of {@code {text}} items
     * @return its text, {@code ""} when none
     */
    static String text(JsonNode content) {
        if (content == null || content.isNull()) {
            return "";
        }
        if (content.isTextual()) {
            return content.textValue();
        }
        if (content.isArray()) {
            StringBuilder b = new StringBuilder();
            for (JsonNode item : content) {
                if (item.isTextual()) {
                    b.append(item.textValue());
                } else if (item.has("text")) {
                    b.append(item.path("text").asText());
                }
            }
            return b.toString();
        }
        return content.asText();
    }
}
