package dev.switchboard.plugin.qianfan;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.api.provider.Operation;
import dev.switchboard.api.provider.RelayRequest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/** A client request as the core would hand it to the adapter. */
record TestRequest(Operation operation, String model, String upstreamModel, boolean stream, boolean includeUsage,
        JsonNode body, Map<String, String> formFields, String requestId) implements RelayRequest {

    static final ObjectMapper JSON = new ObjectMapper();
    private static final AtomicInteger IDS = new AtomicInteger();

    /** @param op the operation @param json the body, as a client sends it @return the request */
    static TestRequest of(Operation op, String json) {
        JsonNode body = parse(json);
        String model = body.path("model").asText();
        boolean stream = body.path("stream").asBoolean(false);
        return new TestRequest(op, model, model, stream,
                stream && body.path("stream_options").path("include_usage").asBoolean(false), body, Map.of(),
                "req-" + IDS.incrementAndGet());
    }

    /** @param json a chat body @return the chat request */
    static TestRequest chat(String json) {
        return of(Operation.CHAT, json);
    }

    /** @param upstream the model after the channel's mapping @return this request with it */
    TestRequest mappedTo(String upstream) {
        return new TestRequest(operation, model, upstream, stream, includeUsage, body, formFields, requestId);
    }

    /**
     * Compares JSON as text would: Jackson's node equality tells an int from a long of the same value.
     *
     * @param expected the expected JSON
     * @param actual the node built by the code under test
     */
    static void assertJson(String expected, JsonNode actual) {
        org.junit.jupiter.api.Assertions.assertEquals(parse(expected), parse(actual.toString()));
    }

    static JsonNode parse(String json) {
        try {
            return JSON.readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
