package dev.switchboard.plugin.siliconcloud;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.api.provider.Channel;
import dev.switchboard.api.provider.Operation;
import dev.switchboard.api.provider.RelayRequest;
import dev.switchboard.api.provider.SideCall;
import dev.switchboard.api.provider.UpstreamClient;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/** Channels, requests and a canned side-call client for the unit tests. */
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

    /** JSON equality where numbers compare by value (an int 24 equals a long 24), objects in any field order. */
    static void assertJson(String expected, JsonNode actual) {
        JsonNode e = json(expected);
        java.util.Comparator<JsonNode> byValue = (a, b) -> a.isNumber() && b.isNumber()
                ? a.decimalValue().compareTo(b.decimalValue()) : a.equals(b) ? 0 : 1;
        if (!e.equals(byValue, actual)) {
            throw new org.opentest4j.AssertionFailedError("JSON differs", e.toString(), String.valueOf(actual));
        }
    }

    record TestChannel(long id, String name, String key, String baseUrl, boolean hasCustomBaseUrl, JsonNode config)
            implements Channel {
    }

    /** A channel on the default (China) base, with the given config. */
    static Channel channel(String config) {
        return new TestChannel(7, "silicon", "sk-test-key", SiliconCloudType.CHINA, false, json(config));
    }

    /** A channel whose operator set {@code base_url}. */
    static Channel custom(String baseUrl, String config) {
        return new TestChannel(7, "silicon", "sk-test-key", baseUrl, true, json(config));
    }

    record TestRequest(Operation operation, String model, String upstreamModel, boolean stream, boolean includeUsage,
            JsonNode body, Map<String, String> formFields, String requestId) implements RelayRequest {
    }

    static RelayRequest request(Operation op, String body) {
        JsonNode b = json(body);
        String model = b.path("model").asText("m");
        return new TestRequest(op, model, model, b.path("stream").asBoolean(false), false, b, Map.of(), "req-1");
    }

    static RelayRequest mapped(Operation op, String upstreamModel, String body) {
        JsonNode b = json(body);
        return new TestRequest(op, b.path("model").asText(), upstreamModel, false, false, b, Map.of(), "req-2");
    }

    /** Answers every side call with one canned result and keeps the calls it got. */
    static final class CannedClient implements UpstreamClient {
        final List<SideCall> calls = new ArrayList<>();
        private final SideCall.Result result;

        CannedClient(int status, String body) {
            this.result = new SideCall.Result(status, "application/json", body.getBytes(StandardCharsets.UTF_8));
        }

        @Override
        public CompletionStage<SideCall.Result> send(SideCall call) {
            calls.add(call);
            return CompletableFuture.completedFuture(result);
        }
    }
}
