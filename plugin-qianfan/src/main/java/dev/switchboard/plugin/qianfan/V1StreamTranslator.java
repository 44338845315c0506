package dev.switchboard.plugin.qianfan;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.api.provider.RelayRequest;
import dev.switchboard.api.provider.SseEvent;
import dev.switchboard.api.provider.StreamSink;
import dev.switchboard.api.provider.StreamTranslator;
import dev.switchboard.api.provider.UpstreamError;
import dev.switchboard.api.provider.UpstreamErrorException;
import dev.switchboard.api.provider.Usage;
import java.io.IOException;

/**
 * A v1 stream ({@code data: {...}} events with {@code sentence_id} and {@code is_end}, no {@code [DONE]}) as
 * OpenAI chunks: each event with text becomes one chunk as it arrives (the first carrying {@code role}), a
 * function call one tool-call chunk, and {@code is_end} a last chunk with an empty delta and the finish reason.
 * Usage is read from every event, each count keeping its last non-zero value (Baidu may report 0 early). The
 * core adds the usage chunk and {@code [DONE]}.
 */
final class V1StreamTranslator implements StreamTranslator {

    private final RelayRequest request;
    private final ObjectMapper mapper;
    private boolean started;
    private boolean finished;
    private long promptTokens;
    private long completionTokens;

    V1StreamTranslator(RelayRequest request, ObjectMapper mapper) {
        this.request = request;
        this.mapper = mapper;
    }

    @Override
    public void onEvent(SseEvent event, StreamSink sink) throws UpstreamErrorException {
        String data = event.data().strip();
        if (data.isEmpty()) {
            return;
        }
        if (data.equals("[DONE]")) {
            finished = true;
            return;
        }
        JsonNode e;
        try {
            e = mapper.readTree(data);
        } catch (IOException ex) {
            throw new UpstreamErrorException(UpstreamError.builder(502, "upstream_error",
                    "[qianfan] the stream sent an event that is not JSON").retryable(true).build());
        }
        UpstreamErrorException error = ErrorBodies.inBody(e).map(UpstreamErrorException::new).orElse(null);
        if (error != null) {
            throw error;
        }
        readUsage(e.get("usage"));
        String id = V1ChatResponse.id(request, e);
        long created = V1ChatResponse.created(e);
        String text = e.path("result").asText("");
        JsonNode call = e.get("function_call");
        if (!text.isEmpty() || !started) {
            ObjectNode delta = mapper.createObjectNode();
            if (!started) {
                delta.put("role", "assistant");
            }
            delta.put("content", text);
            sink.chunk(chunk(id, created, delta, null));
            started = true;
        }
        if (call != null && call.isObject()) {
            ObjectNode delta = mapper.createObjectNode();
            ObjectNode tc = V1ChatResponse.toolCall(id, call, mapper);
            tc.put("index", 0);
            delta.putArray("tool_calls").add(tc);
            sink.chunk(chunk(id, created, delta, null));
        }
        if (e.path("is_end").asBoolean(false)) {
            sink.chunk(chunk(id, created, mapper.createObjectNode(), V1ChatResponse.finishReason(e)));
            finished = true;
        }
    }

    private ObjectNode chunk(String id, long created, ObjectNode delta, String finishReason) {
        ObjectNode c = mapper.createObjectNode();
        c.put("id", id);
        c.put("object", "chat.completion.chunk");
        c.put("created", created);
        c.put("model", request.model());
        ObjectNode choice = c.putArray("choices").addObject();
        choice.put("index", 0);
        choice.set("delta", delta);
        if (finishReason == null) {
            choice.putNull("finish_reason");
        } else {
            choice.put("finish_reason", finishReason);
        }
        return c;
    }

    private void readUsage(JsonNode u) {
        if (u == null || !u.isObject()) {
            return;
        }
        long p = u.path("prompt_tokens").asLong(0);
        long c = u.path("completion_tokens").asLong(0);
        if (p > 0) {
            promptTokens = p;
        }
        if (c > 0) {
            completionTokens = c;
        }
    }

    @Override
    public boolean finished() {
        return finished;
    }

    @Override
    public Usage usage() {
        return promptTokens == 0 && completionTokens == 0 ? Usage.NONE : Usage.of(promptTokens, completionTokens);
    }
}
