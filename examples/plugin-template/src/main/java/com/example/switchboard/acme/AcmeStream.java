package com.example.switchboard.acme;

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
 * One Acme stream in OpenAI chunks. Acme sends {@code data: {"delta": "text"}} events, then one {@code data:
 * {"stop": "end", "tokens": {"in", "out"}}} and no {@code [DONE]}; an error mid-stream is {@code data:
 * {"err_code", "err_msg"}}. The core writes the usage chunk and {@code [DONE]} itself.
 */
final class AcmeStream implements StreamTranslator {

    private final RelayRequest request;
    private final ObjectMapper mapper;
    private final AcmeErrors errors;
    private final long created = System.currentTimeMillis() / 1000;
    private boolean roleSent;
    private boolean finished;
    private Usage usage = Usage.NONE;

    AcmeStream(RelayRequest request, ObjectMapper mapper, AcmeErrors errors) {
        this.request = request;
        this.mapper = mapper;
        this.errors = errors;
    }

    @Override
    public void onEvent(SseEvent event, StreamSink sink) throws UpstreamErrorException {
        if (event.data().equals("[DONE]")) {
            // Acme sends none, but the translator sees every event; a [DONE] would be its end too.
            finished = true;
            return;
        }
        JsonNode e;
        try {
            e = mapper.readTree(event.data());
        } catch (IOException notJson) {
            throw new UpstreamErrorException(UpstreamError.builder(502, "upstream_error",
                    "[acme] a stream event is not JSON").retryable(true).build());
        }
        if (e.has("err_code")) {
            throw new UpstreamErrorException(errors.translate(200, e));
        }
        if (e.has("delta")) {
            ObjectNode delta = mapper.createObjectNode();
            if (!roleSent) {
                delta.put("role", "assistant");
                roleSent = true;
            }
            delta.put("content", e.get("delta").asText());
            sink.chunk(chunk(delta, null));
        }
        if (e.has("stop")) {
            usage = AcmeChat.usage(e.path("tokens"));
            sink.chunk(chunk(mapper.createObjectNode(), AcmeChat.finishReason(e.get("stop").asText())));
            finished = true;
        }
    }

    @Override
    public boolean finished() {
        return finished;
    }

    @Override
    public Usage usage() {
        return usage;
    }

    private ObjectNode chunk(ObjectNode delta, String finishReason) {
        ObjectNode c = mapper.createObjectNode();
        c.put("id", "chatcmpl-" + request.requestId());
        c.put("object", "chat.completion.chunk");
        c.put("created", created);
        c.put("model", request.model());
        ObjectNode choice = c.putArray("choices").addObject();
        choice.put("index", 0);
        choice.set("delta", delta);
        choice.put("finish_reason", finishReason);
        return c;
    }
}
