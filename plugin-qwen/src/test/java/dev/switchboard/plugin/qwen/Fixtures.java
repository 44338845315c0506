package dev.switchboard.plugin.qwen;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.api.provider.Channel;
import dev.switchboard.api.provider.Operation;
import dev.switchboard.api.provider.RelayRequest;
import dev.switchboard.api.provider.SseEvent;
import dev.switchboard.api.provider.StreamTranslator;
import dev.switchboard.api.provider.UpstreamErrorException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Test doubles for the core's side of the contract, and an SSE reader that parses as the core does. */
final class Fixtures {

    static final ObjectMapper JSON = new ObjectMapper();

    private Fixtures() {
    }

    static JsonNode json(String text) {
        try {
            return JSON.readTree(text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Compares JSON by value: numbers by their text, so a long the code wrote equals an int the test parsed.
     *
     * @param expected the expected JSON
     * @param actual the produced JSON
     */
    static void assertJson(JsonNode expected, JsonNode actual) {
        assertJson(expected, actual, null);
    }

    static void assertJson(JsonNode expected, JsonNode actual, String message) {
        org.junit.jupiter.api.Assertions.assertEquals(json(expected.toString()), json(actual.toString()), message);
    }

    /** A channel as the core's snapshot presents it. */
    record TestChannel(String baseUrl, boolean hasCustomBaseUrl, JsonNode config) implements Channel {
        @Override
        public long id() {
            return 7;
        }

        @Override
        public String name() {
            return "test";
        }

        @Override
        public String key() {
            return "sk-test-key";
        }
    }

    static Channel channel(String customBase, String config) {
        return new TestChannel(customBase == null ? QwenChannelType.CN_BASE : customBase, customBase != null,
                json(config));
    }

    /** A request as the core's parser presents it. */
    record TestRequest(Operation operation, String model, String upstreamModel, boolean stream, boolean includeUsage,
            JsonNode body) implements RelayRequest {
        @Override
        public Map<String, String> formFields() {
            return Map.of();
        }

        @Override
        public String requestId() {
            return "req-test";
        }
    }

    static RelayRequest request(Operation op, String body) {
        ObjectNode b = (ObjectNode) json(body);
        boolean stream = b.path("stream").asBoolean(false);
        return new TestRequest(op, b.path("model").asText(), b.path("model").asText(), stream,
                stream && b.path("stream_options").path("include_usage").asBoolean(false), b);
    }

    static RelayRequest mapped(Operation op, String body, String upstreamModel) {
        RelayRequest r = request(op, body);
        return new TestRequest(op, r.model(), upstreamModel, r.stream(), r.includeUsage(), r.body());
    }

    /** Parses raw SSE text as the core does: {@code data:} with or without a space, comments skipped. */
    static List<SseEvent> sse(String raw) {
        List<SseEvent> events = new ArrayList<>();
        String id = null;
        String event = null;
        StringBuilder data = null;
        for (String line : (raw + "\n\n").split("\r\n|\r|\n", -1)) {
            if (line.isEmpty()) {
                if (data != null) {
                    events.add(new SseEvent(id, event, data.toString()));
                }
                data = null;
                event = null;
                continue;
            }
            if (line.startsWith(":")) {
                continue;
            }
            int colon = line.indexOf(':');
            String field = colon < 0 ? line : line.substring(0, colon);
            String value = colon < 0 ? "" : line.substring(colon + 1);
            if (value.startsWith(" ")) {
                value = value.substring(1);
            }
            switch (field) {
                case "data" -> data = data == null ? new StringBuilder(value) : data.append('\n').append(value);
                case "event" -> event = value;
                case "id" -> id = value;
                default -> {
                }
            }
        }
        return events;
    }

    /** Feeds events the way the core does (stopping once the translator says it finished) and collects chunks. */
    static List<JsonNode> run(StreamTranslator t, List<SseEvent> events) throws UpstreamErrorException {
        List<JsonNode> chunks = new ArrayList<>();
        for (SseEvent e : events) {
            if (t.finished()) {
                break;
            }
            t.onEvent(e, chunks::add);
        }
        t.onEnd(chunks::add);
        return chunks;
    }
}
