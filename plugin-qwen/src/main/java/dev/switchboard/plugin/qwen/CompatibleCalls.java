package dev.switchboard.plugin.qwen;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.api.provider.Operation;
import dev.switchboard.api.provider.RelayRequest;
import dev.switchboard.api.provider.TranslatedResponse;
import dev.switchboard.api.provider.UpstreamCall;
import dev.switchboard.api.provider.Usage;
import java.io.UncheckedIOException;

/**
 * Calls to DashScope's compatible mode ({@code {root}/compatible-mode/v1}). Pass-through, except for the documented
 * quirks, which need a body of the gateway's making (the client's body with one field changed, everything else
 * kept):
 * <ul>
 * <li>a stream-only model (QwQ) called without {@code stream}: streamed upstream ({@code stream:true},
 * {@code stream_options.include_usage:true}) for the core to assemble into one answer;</li>
 * <li>a Qwen3 model called without {@code stream} and without {@code enable_thinking}: sent
 * {@code enable_thinking:false}, which DashScope requires of non-streamed calls;</li>
 * <li>embeddings asked as {@code base64}: asked as {@code float} (all DashScope returns), encoded on the way back.</li>
 * </ul>
 */
final class CompatibleCalls {

    private CompatibleCalls() {
    }

    /**
     * @param request the client's request
     * @param endpoints the channel's endpoints
     * @param mapper the plugin's mapper
     * @return the call, without headers
     */
    static UpstreamCall.Builder prepare(RelayRequest request, QwenEndpoints endpoints, ObjectMapper mapper) {
        Operation op = request.operation();
        String url = endpoints.compatibleBase() + (op == Operation.CHAT ? "/chat/completions"
                : op == Operation.COMPLETIONS ? "/completions" : "/embeddings");
        JsonNode client = request.body();
        String model = request.upstreamModel();
        if (op == Operation.CHAT && !request.stream() && QwenModels.streamOnly(model)) {
            ObjectNode body = copy(client, model);
            body.put("stream", true);
            ObjectNode options = body.path("stream_options").isObject() ? (ObjectNode) body.get("stream_options")
                    : body.putObject("stream_options");
            options.put("include_usage", true);
            return translated(url, body, mapper).stream(true);
        }
        if (op == Operation.CHAT && !request.stream() && !client.has("enable_thinking")
                && QwenModels.needsThinkingOffWithoutStream(model)) {
            ObjectNode body = copy(client, model);
            body.put("enable_thinking", false);
            return translated(url, body, mapper);
        }
        if (op == Operation.EMBEDDINGS && Embeddings.wantsBase64(client)) {
            ObjectNode body = copy(client, model);
            body.put("encoding_format", "float");
            return translated(url, body, mapper);
        }
        return UpstreamCall.passThrough(url).stream(request.stream());
    }

    /**
     * The answer to one of the translated calls above: already OpenAI's shape.
     *
     * @param request the client's request
     * @param body the answer
     * @param mapper the plugin's mapper
     * @return the client's answer and its usage
     */
    static TranslatedResponse response(RelayRequest request, JsonNode body, ObjectMapper mapper) {
        if (request.operation() == Operation.EMBEDDINGS) {
            return Embeddings.fromCompatible(body, Embeddings.wantsBase64(request.body()), mapper);
        }
        JsonNode u = body.path("usage");
        Usage usage = u.isObject() ? new Usage(u.path("prompt_tokens").asLong(0),
                u.path("completion_tokens").asLong(0), u.path("prompt_tokens_details").path("cached_tokens").asLong(0))
                : Usage.NONE;
        return new TranslatedResponse(body, usage);
    }

    private static ObjectNode copy(JsonNode client, String model) {
        ObjectNode body = ((ObjectNode) client).deepCopy();
        body.put("model", model);
        return body;
    }

    private static UpstreamCall.Builder translated(String url, ObjectNode body, ObjectMapper mapper) {
        try {
            return UpstreamCall.translated("POST", url, mapper.writeValueAsBytes(body), "application/json");
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }
}
