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
import java.util.Map;
import java.util.TreeMap;

/**
 * A native DashScope stream ({@code incremental_output:true}) turned into {@code chat.completion.chunk}s. Per
 * choice: a first delta {@code {role:"assistant", content:""}}, then {@code content}, {@code reasoning_content} and
 * {@code tool_calls} deltas as they come, then {@code {delta:{}, finish_reason}} once DashScope's
 * {@code finish_reason} is no longer the string {@code "null"}. Usage is cumulative in every event: the last value
 * is the one billed. {@code event:error} (or a data line carrying a {@code code} and no {@code output}) throws. The
 * stream has no {@code [DONE]}: it is finished when every choice asked for ({@code n}) has finished.
 */
final class NativeStreamTranslator implements StreamTranslator {

    private final ObjectMapper mapper;
    private final String model;
    private final int expectedChoices;
    private final Map<Integer, ChoiceState> choices = new TreeMap<>();
    private String id;
    private long created;
    private Usage usage = Usage.NONE;
    private int finishedChoices;

    /**
     * @param mapper the plugin's mapper
     * @param model the model name the client asked for, shown in every chunk
     * @param expectedChoices how many choices the client asked for ({@code n}, at least 1)
     */
    NativeStreamTranslator(ObjectMapper mapper, String model, int expectedChoices) {
        this.mapper = mapper;
        this.model = model;
        this.expectedChoices = Math.max(1, expectedChoices);
    }

    /** What one choice has sent so far. */
    private static final class ChoiceState {
        final ToolCallDeltas tools;
        boolean started;
        boolean finished;

        ChoiceState(ObjectMapper mapper) {
            this.tools = new ToolCallDeltas(mapper);
        }
    }

    @Override
    public void onEvent(SseEvent event, StreamSink sink) throws UpstreamErrorException {
        String data = event.data() == null ? "" : event.data().strip();
        if (data.isEmpty()) {
            return;
        }
        JsonNode node = parse(data);
        if ("error".equals(event.event()) || isError(node)) {
            throw new UpstreamErrorException(QwenErrors.inBand(node));
        }
        take(node, sink);
    }

    private void take(JsonNode node, StreamSink sink) {
        if (id == null && !node.path("request_id").asText("").isEmpty()) {
            id = node.get("request_id").asText();
        }
        if (created == 0) {
            created = System.currentTimeMillis() / 1000;
        }
        Usage u = NativeUsage.read(node.get("usage"));
        if (!u.equals(Usage.NONE)) {
            usage = u;
        }
        JsonNode output = node.path("output");
        if (output.path("choices").isArray()) {
            int position = 0;
            for (JsonNode c : output.get("choices")) {
                choice(c.path("index").asInt(position), c.path("message"), c.get("finish_reason"), sink);
                position++;
            }
        } else if (output.has("text") || output.has("finish_reason")) {
            // result_format "text": {output:{text, finish_reason}}.
            ObjectNode message = mapper.createObjectNode();
            message.put("content", output.path("text").asText(""));
            choice(0, message, output.get("finish_reason"), sink);
        }
    }

    private void choice(int index, JsonNode message, JsonNode finish, StreamSink sink) {
        ChoiceState state = choices.computeIfAbsent(index, i -> new ChoiceState(mapper));
        if (state.finished) {
            return;
        }
        if (!state.started) {
            state.started = true;
            ObjectNode delta = mapper.createObjectNode();
            delta.put("role", "assistant");
            delta.put("content", "");
            sink.chunk(chunk(index, delta, null));
        }
        String reasoning = NativeChatResponse.text(message.get("reasoning_content"));
        if (!reasoning.isEmpty()) {
            sink.chunk(chunk(index, mapper.createObjectNode().put("reasoning_content", reasoning), null));
        }
        String content = NativeChatResponse.text(message.get("content"));
        if (!content.isEmpty()) {
            sink.chunk(chunk(index, mapper.createObjectNode().put("content", content), null));
        }
        JsonNode toolCalls = message.get("tool_calls");
        if (toolCalls != null && toolCalls.isArray()) {
            state.tools.accept(toolCalls, d -> sink.chunk(toolChunk(index, d)));
        }
        String reason = NativeChatResponse.finishReason(finish);
        if (reason != null) {
            state.tools.flush(d -> sink.chunk(toolChunk(index, d)));
            if (state.tools.any() && "stop".equals(reason)) {
                reason = "tool_calls";
            }
            sink.chunk(chunk(index, mapper.createObjectNode(), reason));
            state.finished = true;
            finishedChoices++;
        }
    }

    @Override
    public void onEnd(StreamSink sink) {
        // A stream cut without a finish reason: announce what was held back, invent no ending.
        choices.forEach((index, state) -> {
            if (!state.finished) {
                state.tools.flush(d -> sink.chunk(toolChunk(index, d)));
            }
        });
    }

    @Override
    public boolean finished() {
        return finishedChoices >= expectedChoices;
    }

    @Override
    public Usage usage() {
        return usage;
    }

    private ObjectNode toolChunk(int index, ObjectNode toolDelta) {
        ObjectNode delta = mapper.createObjectNode();
        delta.putArray("tool_calls").add(toolDelta);
        return chunk(index, delta, null);
    }

    private ObjectNode chunk(int index, ObjectNode delta, String finishReason) {
        ObjectNode chunk = mapper.createObjectNode();
        chunk.put("id", id == null ? "" : id);
        chunk.put("object", "chat.completion.chunk");
        chunk.put("created", created);
        chunk.put("model", model);
        ObjectNode choice = chunk.putArray("choices").addObject();
        choice.put("index", index);
        choice.set("delta", delta);
        choice.put("finish_reason", finishReason);
        return chunk;
    }

    private JsonNode parse(String data) {
        try {
            return mapper.readTree(data);
        } catch (IOException e) {
            throw new UncheckedIOException("a DashScope stream event is not JSON", e);
        }
    }

    private static boolean isError(JsonNode node) {
        return node.isObject() && !node.has("output") && (node.hasNonNull("code") && !node.path("code").asText()
                .isEmpty() || node.path("error").isObject());
    }
}
