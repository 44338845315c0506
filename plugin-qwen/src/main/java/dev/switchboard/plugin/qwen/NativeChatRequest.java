package dev.switchboard.plugin.qwen;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.api.provider.UpstreamError;
import dev.switchboard.api.provider.UpstreamErrorException;
import java.util.List;

/**
 * An OpenAI chat request turned into DashScope's native form: {@code {model, input:{messages},
 * parameters:{result_format:"message", ...}}}. The {@code developer} role becomes {@code system};
 * {@code max_completion_tokens} (else {@code max_tokens}) becomes {@code max_tokens}; {@code top_p} is clamped to
 * 0.9999 (DashScope wants it below 1). Text-only content parts are joined; image and video parts switch the call to
 * the multimodal service, whose content is a list of {@code {text}}, {@code {image}}, {@code {video}} items.
 */
final class NativeChatRequest {

    static final double MAX_TOP_P = 0.9999;

    /** Parameters whose OpenAI name and meaning match DashScope's, copied as they are. */
    private static final List<String> SAME_PARAMETERS = List.of("temperature", "seed", "stop", "tools", "tool_choice",
            "parallel_tool_calls", "response_format", "enable_thinking", "thinking_budget", "n", "presence_penalty",
            "logprobs", "top_logprobs",
            // DashScope's own, which clients of the gateway may send as extra fields.
            "top_k", "repetition_penalty", "enable_search", "search_options", "translation_options",
            "enable_code_interpreter");

    private NativeChatRequest() {
    }

    /**
     * The translated call's parts.
     *
     * @param body the native body
     * @param multimodal whether it goes to the multimodal service
     * @param stream whether it streams
     */
    record Built(ObjectNode body, boolean multimodal, boolean stream) {
    }

    /**
     * @param client the client's OpenAI body (read only)
     * @param upstreamModel the model to ask for
     * @param stream whether the upstream answer streams (the client asked, or the model streams only)
     * @param mapper the plugin's mapper
     * @return the native request
     * @throws UpstreamErrorException 400 when a message holds content native mode cannot carry
     */
    static Built build(JsonNode client, String upstreamModel, boolean stream, ObjectMapper mapper)
            throws UpstreamErrorException {
        boolean multimodal = QwenModels.multimodal(upstreamModel) || hasMediaParts(client.path("messages"));
        ObjectNode body = mapper.createObjectNode();
        body.put("model", upstreamModel);
        ArrayNode messages = body.putObject("input").putArray("messages");
        JsonNode in = client.path("messages");
        for (int i = 0; i < in.size(); i++) {
            messages.add(message(in.get(i), i, multimodal, mapper));
        }
        ObjectNode p = body.putObject("parameters");
        p.put("result_format", "message");
        if (stream) {
            // Without it every event repeats the whole answer so far.
            p.put("incremental_output", true);
        }
        for (String name : SAME_PARAMETERS) {
            JsonNode v = client.get(name);
            if (v != null && !v.isNull()) {
                p.set(name, v.deepCopy());
            }
        }
        JsonNode max = client.hasNonNull("max_completion_tokens") ? client.get("max_completion_tokens")
                : client.get("max_tokens");
        if (max != null && !max.isNull()) {
            p.set("max_tokens", max.deepCopy());
        }
        JsonNode topP = client.get("top_p");
        if (topP != null && topP.isNumber()) {
            if (topP.asDouble() > MAX_TOP_P) {
                p.put("top_p", MAX_TOP_P);
            } else {
                p.set("top_p", topP.deepCopy());
            }
        }
        if (!stream && !client.has("enable_thinking") && QwenModels.needsThinkingOffWithoutStream(upstreamModel)) {
            p.put("enable_thinking", false);
        }
        return new Built(body, multimodal, stream);
    }

    private static ObjectNode message(JsonNode m, int i, boolean multimodal, ObjectMapper mapper)
            throws UpstreamErrorException {
        ObjectNode out = mapper.createObjectNode();
        String role = m.path("role").asText();
        out.put("role", "developer".equals(role) ? "system" : role);
        JsonNode content = m.get("content");
        if (multimodal) {
            out.set("content", contentItems(content, i, mapper));
        } else {
            out.put("content", contentText(content, i));
        }
        for (String field : new String[] {"name", "tool_calls", "tool_call_id", "partial"}) {
            if (m.hasNonNull(field)) {
                out.set(field, m.get(field).deepCopy());
            }
        }
        return out;
    }

    /** Text content: a string, or the text parts joined (no separator, as OpenAI reads them). */
    private static String contentText(JsonNode content, int i) throws UpstreamErrorException {
        if (content == null || content.isNull()) {
            return "";
        }
        if (content.isTextual()) {
            return content.textValue();
        }
        if (!content.isArray()) {
            throw badContent(i, "content must be a string or an array of parts");
        }
        StringBuilder text = new StringBuilder();
        for (JsonNode part : content) {
            if (part.isTextual()) {
                text.append(part.textValue());
            } else if ("text".equals(part.path("type").asText())) {
                text.append(part.path("text").asText());
            } else {
                throw badContent(i, "a part of type '" + part.path("type").asText() + "' cannot be sent to a text"
                        + " model in qwen native mode; use a channel in compatible mode");
            }
        }
        return text.toString();
    }

    private static ArrayNode contentItems(JsonNode content, int i, ObjectMapper mapper) throws UpstreamErrorException {
        ArrayNode items = mapper.createArrayNode();
        if (content == null || content.isNull()) {
            return items;
        }
        if (content.isTextual()) {
            items.addObject().put("text", content.textValue());
            return items;
        }
        if (!content.isArray()) {
            throw badContent(i, "content must be a string or an array of parts");
        }
        for (JsonNode part : content) {
            String type = part.isTextual() ? "text" : part.path("type").asText();
            switch (type) {
                case "text" -> items.addObject().put("text", part.isTextual() ? part.textValue()
                        : part.path("text").asText());
                case "image_url" -> items.addObject().put("image", url(part.get("image_url")));
                case "video_url" -> items.addObject().put("video", url(part.get("video_url")));
                case "video" -> items.addObject().set("video", part.path("video").deepCopy());
                default -> throw badContent(i, "a part of type '" + type + "' cannot be sent in qwen native mode;"
                        + " use a channel in compatible mode");
            }
        }
        return items;
    }

    private static String url(JsonNode v) {
        return v == null ? "" : v.isTextual() ? v.textValue() : v.path("url").asText();
    }

    private static boolean hasMediaParts(JsonNode messages) {
        for (JsonNode m : messages) {
            for (JsonNode part : m.path("content")) {
                String type = part.path("type").asText();
                if (type.equals("image_url") || type.equals("video_url") || type.equals("video")) {
                    return true;
                }
            }
        }
        return false;
    }

    private static UpstreamErrorException badContent(int i, String what) {
        return new UpstreamErrorException(UpstreamError.builder(400, "invalid_value", "messages[" + i + "]: " + what)
                .param("messages[" + i + "].content").build());
    }
}
