package dev.switchboard.plugin.qianfan;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.api.provider.RelayRequest;
import dev.switchboard.api.provider.UpstreamErrorException;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * An OpenAI chat request as a v1 chat body.
 *
 * <ul>
 *   <li>{@code system} and {@code developer} messages, wherever they stand, are lifted in order into the
 *   top-level {@code system} (joined by a blank line, after a {@code system} the client set itself).</li>
 *   <li>Consecutive messages of the same role are merged into one, their texts joined by a blank line, so
 *   Baidu's alternation rule holds; a conversation that still does not start and end with the user (or a tool
 *   result) is refused here with a 400 saying so, rather than with Baidu's 336003.</li>
 *   <li>Text parts are joined by a newline; image, audio and file parts are refused (v1 is text only).</li>
 *   <li>Tools become {@code functions}; an assistant tool call becomes {@code function_call}, a tool answer a
 *   {@code function} message named after its call.</li>
 *   <li>{@code max_completion_tokens} (else {@code max_tokens}) becomes {@code max_output_tokens}, at least 2;
 *   {@code frequency_penalty} in [-2, 2] becomes {@code penalty_score} = 1 + max(0, p) / 2 in [1, 2] (Baidu
 *   cannot reward repetition, so negative values are neutral); {@code temperature} is kept within (0, 1];
 *   {@code user} becomes {@code user_id}; {@code stop} becomes a list; {@code response_format} becomes Baidu's
 *   string ({@code json_schema} asks for {@code json_object}).</li>
 *   <li>OpenAI-only fields Baidu v1 has no counterpart for ({@link #DROPPED}) are left out; every other field
 *   the client sent (Baidu's own, such as {@code disable_search}) reaches Baidu untouched.</li>
 * </ul>
 */
final class V1ChatRequest {

    /** OpenAI fields with no v1 counterpart. */
    static final Set<String> DROPPED = Set.of("n", "logit_bias", "logprobs", "top_logprobs", "seed",
            "presence_penalty", "parallel_tool_calls", "reasoning_effort", "store", "metadata", "modalities",
            "audio", "prediction", "service_tier", "web_search_options", "function_call", "stream_options");

    /** Fields this class translates itself. */
    private static final Set<String> TRANSLATED = Set.of("model", "messages", "max_tokens", "max_completion_tokens",
            "frequency_penalty", "user", "tools", "tool_choice", "response_format", "stop", "stream", "temperature",
            "system");

    private final ObjectMapper mapper;

    V1ChatRequest(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    /**
     * @param request the client's chat request
     * @return the v1 body
     * @throws UpstreamErrorException a 400 when the conversation cannot be put in Baidu's form
     */
    ObjectNode translate(RelayRequest request) throws UpstreamErrorException {
        JsonNode in = request.body();
        ObjectNode out = mapper.createObjectNode();
        StringBuilder system = new StringBuilder();
        if (in.path("system").isTextual()) {
            system.append(in.get("system").textValue());
        }
        out.set("messages", V1Messages.translate(in.path("messages"), system, mapper));
        if (system.length() > 0) {
            out.put("system", system.toString());
        }
        out.put("stream", request.stream());

        JsonNode max = in.hasNonNull("max_completion_tokens") ? in.get("max_completion_tokens") : in.get("max_tokens");
        if (max != null && max.isNumber()) {
            out.put("max_output_tokens", Math.max(2, max.asLong()));
        }
        JsonNode t = in.get("temperature");
        if (t != null && t.isNumber()) {
            out.put("temperature", Math.min(1.0, Math.max(0.01, t.asDouble())));
        }
        JsonNode fp = in.get("frequency_penalty");
        if (fp != null && fp.isNumber() && !in.has("penalty_score")) {
            out.put("penalty_score", 1.0 + Math.min(2.0, Math.max(0.0, fp.asDouble())) / 2.0);
        }
        if (in.path("user").isTextual() && !in.has("user_id")) {
            out.put("user_id", in.get("user").textValue());
        }
        JsonNode stop = in.get("stop");
        if (stop != null && stop.isTextual()) {
            out.putArray("stop").add(stop.textValue());
        } else if (stop != null && stop.isArray()) {
            out.set("stop", stop.deepCopy());
        }
        functions(in, out);
        JsonNode format = in.get("response_format");
        if (format != null && format.isObject() && format.path("type").isTextual()) {
            String type = format.get("type").textValue();
            out.put("response_format", type.equals("text") ? "text" : "json_object");
        } else if (format != null && format.isTextual()) {
            out.put("response_format", format.textValue());
        }
        for (Map.Entry<String, JsonNode> e : in.properties()) {
            if (!TRANSLATED.contains(e.getKey()) && !DROPPED.contains(e.getKey()) && !out.has(e.getKey())) {
                out.set(e.getKey(), e.getValue().deepCopy());
            }
        }
        return out;
    }

    private void functions(JsonNode in, ObjectNode out) {
        JsonNode choice = in.get("tool_choice");
        if (choice != null && choice.isTextual() && choice.textValue().equals("none")) {
            return;
        }
        ArrayNode functions = mapper.createArrayNode();
        for (JsonNode tool : in.path("tools")) {
            JsonNode f = tool.path("function");
            if ("function".equals(tool.path("type").asText("function")) && f.isObject()) {
                ObjectNode fn = functions.addObject();
                fn.set("name", f.get("name"));
                if (f.has("description")) {
                    fn.set("description", f.get("description"));
                }
                fn.set("parameters", f.has("parameters") ? f.get("parameters").deepCopy()
                        : mapper.createObjectNode().put("type", "object"));
            }
        }
        if (functions.isEmpty() && in.path("functions").isArray()) {
            functions = in.get("functions").deepCopy();
        }
        if (functions.isEmpty()) {
            return;
        }
        out.set("functions", functions);
        if (choice != null && choice.isObject() && choice.path("function").path("name").isTextual()) {
            ObjectNode c = out.putObject("tool_choice");
            c.put("type", "function");
            c.putObject("function").put("name", choice.get("function").get("name").textValue());
        }
    }

    /** Tool-call ids to function names, for tool answers that only carry the id. */
    static Map<String, String> callNames(JsonNode messages) {
        Map<String, String> names = new HashMap<>();
        for (JsonNode m : messages) {
            for (JsonNode call : m.path("tool_calls")) {
                if (call.path("id").isTextual()) {
                    names.put(call.get("id").textValue(), call.path("function").path("name").asText(""));
                }
            }
        }
        return names;
    }
}
