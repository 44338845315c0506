package dev.switchboard.plugin.qwen;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.api.provider.SseEvent;
import dev.switchboard.api.provider.StreamSink;
import dev.switchboard.api.provider.StreamTranslator;
import dev.switchboard.api.provider.UpstreamErrorException;
import dev.switchboard.api.provider.Usage;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * A compatible-mode stream the gateway asked for itself (a stream-only model the client called without
 * {@code stream}): OpenAI chunks, passed on as they are, without the usage the gateway asked for (the core adds its
 * own usage chunk when the client wants one). {@code [DONE]} ends it; {@code {"error":{...}}} throws.
 */
final class CompatibleStreamTranslator implements StreamTranslator {

    private final ObjectMapper mapper;
    private Usage usage = Usage.NONE;
    private boolean done;

    CompatibleStreamTranslator(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    @Override
    public void onEvent(SseEvent event, StreamSink sink) throws UpstreamErrorException {
        String data = event.data() == null ? "" : event.data().strip();
        if (data.isEmpty()) {
            return;
        }
        if (data.equals("[DONE]")) {
            done = true;
            return;
        }
        JsonNode node;
        try {
            node = mapper.readTree(data);
        } catch (IOException e) {
            throw new UncheckedIOException("a DashScope stream event is not JSON", e);
        }
        take(node, sink);
    }

    private void take(JsonNode node, StreamSink sink) throws UpstreamErrorException {
        if (!(node instanceof ObjectNode chunk)) {
            return;
        }
        if (chunk.path("error").isObject()) {
            throw new UpstreamErrorException(QwenErrors.inBand(chunk));
        }
        JsonNode u = chunk.get("usage");
        if (u != null && u.isObject()) {
            long prompt = u.path("prompt_tokens").asLong(0);
            long completion = u.path("completion_tokens").asLong(0);
            if (prompt > 0 || completion > 0) {
                usage = new Usage(prompt, completion, u.path("prompt_tokens_details").path("cached_tokens")
                        .asLong(0));
            }
            ObjectNode copy = chunk.deepCopy();
            copy.remove("usage");
            if (copy.path("choices").isArray() && copy.get("choices").isEmpty()) {
                return;
            }
            sink.chunk(copy);
            return;
        }
        sink.chunk(chunk);
    }

    @Override
    public boolean finished() {
        return done;
    }

    @Override
    public Usage usage() {
        return usage;
    }
}
