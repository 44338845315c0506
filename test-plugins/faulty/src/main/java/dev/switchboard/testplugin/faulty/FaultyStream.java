package dev.switchboard.testplugin.faulty;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.api.provider.SseEvent;
import dev.switchboard.api.provider.StreamSink;
import dev.switchboard.api.provider.StreamTranslator;
import dev.switchboard.api.provider.Usage;
import java.io.IOException;

/**
 * Passes OpenAI chunks through, marked with the plugin's version; fails at the second event, or blocks in the
 * first, when asked to.
 */
final class FaultyStream implements StreamTranslator {

    private final ObjectMapper mapper;
    private final String version;
    private final boolean failSecond;
    private final boolean blockFirst;
    private int events;
    private boolean finished;
    private Usage usage = Usage.NONE;

    FaultyStream(ObjectMapper mapper, String version, boolean failSecond, boolean blockFirst) {
        this.mapper = mapper;
        this.version = version;
        this.failSecond = failSecond;
        this.blockFirst = blockFirst;
    }

    @Override
    public void onEvent(SseEvent event, StreamSink sink) {
        if (event.data().equals("[DONE]")) {
            finished = true;
            return;
        }
        if (++events == 2 && failSecond) {
            throw new IllegalStateException("onEvent fails on purpose");
        }
        if (events == 1 && blockFirst) {
            FaultyAdapter.block();
        }
        JsonNode chunk;
        try {
            chunk = mapper.readTree(event.data());
        } catch (IOException e) {
            throw new IllegalArgumentException("not JSON", e);
        }
        ObjectNode out = chunk.deepCopy();
        out.put("system_fingerprint", version);
        JsonNode u = chunk.path("usage");
        if (u.isObject()) {
            usage = Usage.of(u.path("prompt_tokens").asLong(), u.path("completion_tokens").asLong());
        }
        sink.chunk(out);
    }

    @Override
    public boolean finished() {
        return finished;
    }

    @Override
    public Usage usage() {
        return usage;
    }
}
