package dev.switchboard.plugin.qwen;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.api.provider.SseEvent;
import dev.switchboard.api.provider.StreamSink;
import dev.switchboard.api.provider.StreamTranslator;
import dev.switchboard.api.provider.UpstreamErrorException;
import dev.switchboard.api.provider.Usage;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * The translator of a streamed translated call, whichever mode made it. The core creates translators from the
 * request alone (not the channel), so the first event decides: native events carry {@code output}, compatible
 * ones are OpenAI chunks ({@code choices}, {@code [DONE]}). Errors are recognised in either shape before that.
 */
final class QwenStreamTranslator implements StreamTranslator {

    private final ObjectMapper mapper;
    private final NativeStreamTranslator nativeStream;
    private final CompatibleStreamTranslator compatibleStream;
    private StreamTranslator chosen;

    /**
     * @param mapper the plugin's mapper
     * @param model the model name the client asked for
     * @param choices how many choices the client asked for
     */
    QwenStreamTranslator(ObjectMapper mapper, String model, int choices) {
        this.mapper = mapper;
        this.nativeStream = new NativeStreamTranslator(mapper, model, choices);
        this.compatibleStream = new CompatibleStreamTranslator(mapper);
    }

    @Override
    public void onEvent(SseEvent event, StreamSink sink) throws UpstreamErrorException {
        if (chosen == null) {
            String data = event.data() == null ? "" : event.data().strip();
            if (data.isEmpty()) {
                return;
            }
            if ("error".equals(event.event())) {
                nativeStream.onEvent(event, sink);
                return;
            }
            if (data.equals("[DONE]")) {
                chosen = compatibleStream;
            } else {
                JsonNode node = parse(data);
                if (node.has("output") || node.has("code") && !node.path("error").isObject()) {
                    chosen = nativeStream;
                } else {
                    chosen = compatibleStream;
                }
            }
        }
        chosen.onEvent(event, sink);
    }

    @Override
    public void onEnd(StreamSink sink) {
        if (chosen != null) {
            chosen.onEnd(sink);
        }
    }

    @Override
    public boolean finished() {
        return chosen != null && chosen.finished();
    }

    @Override
    public Usage usage() {
        return chosen == null ? Usage.NONE : chosen.usage();
    }

    private JsonNode parse(String data) {
        try {
            return mapper.readTree(data);
        } catch (IOException e) {
            throw new UncheckedIOException("a DashScope stream event is not JSON", e);
        }
    }
}
