package dev.switchboard.core.relay;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.core.json.Json;
import java.util.Map;
import java.util.TreeMap;

/**
 * Builds one {@code chat.completion} (or {@code text_completion}) out of OpenAI stream chunks, for a client that
 * did not ask for a stream when the upstream streamed anyway (stream-only models, vendors that ignore
 * {@code stream:false}). Content, reasoning content and tool calls (grouped by index, arguments joined) are
 * concatenated per choice; the last finish reason and usage win.
 */
final class ChunkAssembler {

    private static final class Choice {
        final StringBuilder content = new StringBuilder();
        final StringBuilder reasoning = new StringBuilder();
        final StringBuilder text = new StringBuilder();
        final Map<Integer, ObjectNode> toolCalls = new TreeMap<>();
        String role = "assistant";
        JsonNode finishReason;
        boolean sawText;
        boolean sawReasoning;
    }

    private final Map<Integer, Choice> choices = new TreeMap<>();
    private String id;
    private String model;
    private long created;
    private JsonNode usage;
    private JsonNode fingerprint;

    void add(JsonNode chunk) {
        if (chunk.hasNonNull("id")) {
            id = chunk.get("id").asText();
        }
        if (chunk.hasNonNull("model")) {
            model = chunk.get("model").asText();
        }
        if (chunk.hasNonNull("created")) {
            created = chunk.get("created").asLong();
        }
        if (chunk.hasNonNull("system_fingerprint")) {
            fingerprint = chunk.get("system_fingerprint");
        }
        if (chunk.hasNonNull("usage")) {
            usage = chunk.get("usage");
        }
        for (JsonNode c : chunk.path("choices")) {
            Choice choice = choices.computeIfAbsent(c.path("index").asInt(0), k -> new Choice());
            JsonNode delta = c.path("delta");
            if (delta.hasNonNull("role")) {
                choice.role = delta.get("role").asText();
            }
            if (delta.hasNonNull("content")) {
                choice.content.append(delta.get("content").asText());
            }
            if (delta.hasNonNull("reasoning_content")) {
                choice.sawReasoning = true;
                choice.reasoning.append(delta.get("reasoning_content").asText());
            }
            if (c.hasNonNull("text")) {
                choice.sawText = true;
                choice.text.append(c.get("text").asText());
            }
            for (JsonNode call : delta.path("tool_calls")) {
                ObjectNode merged = choice.toolCalls.computeIfAbsent(call.path("index").asInt(0), k -> {
                    ObjectNode o = Json.object();
                    o.putObject("function").put("arguments", "");
                    return o;
                });
                if (call.hasNonNull("id")) {
                    merged.put("id", call.get("id").asText());
                }
                if (call.hasNonNull("type")) {
                    merged.put("type", call.get("type").asText());
                }
                JsonNode fn = call.path("function");
                ObjectNode target = (ObjectNode) merged.get("function");
                if (fn.hasNonNull("name")) {
                    target.put("name", fn.get("name").asText());
                }
                if (fn.hasNonNull("arguments")) {
                    target.put("arguments", target.get("arguments").asText() + fn.get("arguments").asText());
                }
            }
            if (c.hasNonNull("finish_reason")) {
                choice.finishReason = c.get("finish_reason");
            }
        }
    }

    ObjectNode result(String fallbackId, String fallbackModel) {
        boolean text = choices.values().stream().anyMatch(c -> c.sawText);
        ObjectNode out = Json.object();
        out.put("id", id == null ? fallbackId : id);
        out.put("object", text ? "text_completion" : "chat.completion");
        out.put("created", created == 0 ? System.currentTimeMillis() / 1000 : created);
        out.put("model", model == null ? fallbackModel : model);
        ArrayNode list = out.putArray("choices");
        choices.forEach((index, c) -> {
            ObjectNode o = list.addObject();
            o.put("index", index);
            if (text) {
                o.put("text", c.text.toString());
            } else {
                ObjectNode message = o.putObject("message");
                message.put("role", c.role);
                message.put("content", c.content.toString());
                if (c.sawReasoning) {
                    message.put("reasoning_content", c.reasoning.toString());
                }
                if (!c.toolCalls.isEmpty()) {
                    ArrayNode calls = message.putArray("tool_calls");
                    c.toolCalls.values().forEach(calls::add);
                }
            }
            o.putNull("logprobs");
            o.set("finish_reason", c.finishReason == null ? Json.MAPPER.nullNode() : c.finishReason);
        });
        if (usage != null) {
            out.set("usage", usage);
        }
        if (fingerprint != null) {
            out.set("system_fingerprint", fingerprint);
        }
        return out;
    }
}
