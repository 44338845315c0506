package dev.switchboard.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.api.provider.Channel;
import dev.switchboard.api.provider.Operation;
import dev.switchboard.api.provider.RelayRequest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;

/**
 * A {@link RelayRequest} built from a client body, reading {@code model}, {@code stream} and {@code
 * stream_options.include_usage} the way the core does.
 *
 * @param operation the operation
 * @param model the model the client asked for
 * @param upstreamModel the model after the channel's mapping
 * @param stream whether the client asked for a stream
 * @param includeUsage whether the client asked for the usage chunk
 * @param body the client's JSON body
 * @param formFields multipart text fields (empty for JSON)
 * @param requestId the gateway's request id
 * @param channel the attempt's channel, or {@code null}
 */
public record TestRequest(Operation operation, String model, String upstreamModel, boolean stream,
        boolean includeUsage, JsonNode body, Map<String, String> formFields, String requestId, Channel channel)
        implements RelayRequest {

    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * @param operation the operation
     * @param json the client's body, e.g. {@code {"model":"m","messages":[...]}}
     * @return the request, with the upstream model equal to the requested one and no channel
     */
    public static TestRequest of(Operation operation, String json) {
        JsonNode body;
        try {
            body = JSON.readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (!(body instanceof ObjectNode)) {
            throw new IllegalArgumentException("a request body is a JSON object: " + json);
        }
        String model = body.path("model").asText("");
        return new TestRequest(operation, model, model, body.path("stream").asBoolean(false),
                body.path("stream_options").path("include_usage").asBoolean(false), body, Map.of(), "test-req-1",
                null);
    }

    /**
     * @param json a chat completion body
     * @return a {@link Operation#CHAT} request
     */
    public static TestRequest chat(String json) {
        return of(Operation.CHAT, json);
    }

    /** @param name the model to send upstream @return a copy with that mapping */
    public TestRequest withUpstreamModel(String name) {
        return new TestRequest(operation, model, name, stream, includeUsage, body, formFields, requestId, channel);
    }

    /** @param c the attempt's channel @return a copy naming it, as the core's requests do */
    public TestRequest withChannel(Channel c) {
        return new TestRequest(operation, model, upstreamModel, stream, includeUsage, body, formFields, requestId, c);
    }
}
