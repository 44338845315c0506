package dev.switchboard.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.api.provider.Channel;
import dev.switchboard.api.provider.ProviderAdapter;
import dev.switchboard.api.provider.RelayRequest;
import dev.switchboard.api.provider.SseEvent;
import dev.switchboard.api.provider.StreamTranslator;
import dev.switchboard.api.provider.TranslatedResponse;
import dev.switchboard.api.provider.UpstreamCall;
import dev.switchboard.api.provider.UpstreamError;
import dev.switchboard.api.provider.UpstreamErrorException;
import dev.switchboard.api.provider.Usage;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * Calls an adapter the way the gateway core does for one channel, blocking, for tests:
 *
 * <ol>
 *   <li>{@link ProviderAdapter#prepare}; a stage failed with {@link UpstreamErrorException} is that error;</li>
 *   <li>sends the {@link UpstreamCall} (a pass-through call sends the client's body with {@code model} set to
 *       the upstream model and, for a stream, {@code stream_options.include_usage} added);</li>
 *   <li>a non-2xx answer goes to {@link ProviderAdapter#translateError}; a 2xx event stream of a translated
 *       call goes to a fresh {@link StreamTranslator}, which sees every event including a {@code [DONE]}
 *       data event, until the stream ends (then {@code onEnd}) or {@code finished()}; any other 2xx answer
 *       of a translated call goes to {@link ProviderAdapter#translateResponse};</li>
 *   <li>an error whose verdict is {@link UpstreamError#refreshAndRetry()} prepares and sends once more.</li>
 * </ol>
 *
 * <p>It does not fail over to another channel, apply timeouts other than a total one, or assemble a stream
 * into one completion for a client that did not ask for a stream: those are the core's, tested there. The
 * request passed in should name the channel ({@link TestRequest#withChannel}) when the adapter reads it.
 */
public final class AdapterDriver {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final ProviderAdapter adapter;
    private final JdkUpstreamClient client;
    private final Duration timeout;

    /** @param adapter the adapter under test */
    public AdapterDriver(ProviderAdapter adapter) {
        this(adapter, new JdkUpstreamClient(), Duration.ofSeconds(20));
    }

    /**
     * @param adapter the adapter under test
     * @param client the side-call client handed to the adapter (also sends the main call)
     * @param timeout how long one prepare or one upstream call may take
     */
    public AdapterDriver(ProviderAdapter adapter, JdkUpstreamClient client, Duration timeout) {
        this.adapter = adapter;
        this.client = client;
        this.timeout = timeout;
    }

    /** @return the side-call client the adapter gets */
    public JdkUpstreamClient client() {
        return client;
    }

    /**
     * Relays one request on one channel.
     *
     * @param request the client's request
     * @param channel the channel
     * @return what the client would get
     * @throws Exception when the adapter threw something the core would report as a plugin failure (a runtime
     *     exception) or the call could not be made; tests usually let it fail the test
     */
    public Answer relay(RelayRequest request, Channel channel) throws Exception {
        int sends = 0;
        boolean refreshed = false;
        while (true) {
            UpstreamCall call;
            try {
                call = adapter.prepare(request, channel, client).toCompletableFuture()
                        .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            } catch (ExecutionException e) {
                if (e.getCause() instanceof UpstreamErrorException u) {
                    return Answer.failed(u.error(), List.of(), sends, null);
                }
                throw e;
            }
            sends++;
            HttpResponse<InputStream> answer = client.http().send(request(call, request),
                    HttpResponse.BodyHandlers.ofInputStream());
            String type = answer.headers().firstValue("Content-Type").orElse(null);
            String lower = type == null ? "" : type.toLowerCase(Locale.ROOT);
            UpstreamError failure;
            List<JsonNode> chunks = new ArrayList<>();
            if (answer.statusCode() / 100 != 2) {
                byte[] body;
                try (InputStream in = answer.body()) {
                    body = in.readAllBytes();
                }
                failure = adapter.translateError(answer.statusCode(), type, body);
                if (failure == null) {
                    throw new AssertionError("translateError returned null for status " + answer.statusCode());
                }
            } else if (lower.startsWith("text/event-stream")) {
                StreamTranslator t = call.isPassThrough() ? null : adapter.newStreamTranslator(request);
                try (InputStream in = answer.body()) {
                    failure = stream(t, in, chunks);
                }
                if (failure == null) {
                    return new Answer(200, null, chunks, t == null ? Usage.NONE : t.usage(), null, sends, call);
                }
                if (!chunks.isEmpty()) {
                    return Answer.failed(failure, chunks, sends, call);
                }
            } else {
                byte[] bytes;
                try (InputStream in = answer.body()) {
                    bytes = in.readAllBytes();
                }
                if (call.isPassThrough()) {
                    // Relayed as it came; only JSON is parsed (speech answers audio bytes, say).
                    JsonNode json = lower.contains("json") ? JSON.readTree(bytes) : null;
                    return new Answer(answer.statusCode(), json, List.of(), Usage.NONE, null, sends, call);
                }
                JsonNode json = JSON.readTree(bytes);
                try {
                    TranslatedResponse r = adapter.translateResponse(request, answer.statusCode(), json);
                    return new Answer(200, r.body(), List.of(), r.usage() == null ? Usage.NONE : r.usage(), null,
                            sends, call);
                } catch (UpstreamErrorException e) {
                    failure = e.error();
                }
            }
            if (failure.refreshAndRetry() && !refreshed) {
                refreshed = true;
                continue;
            }
            return Answer.failed(failure, chunks, sends, call);
        }
    }

    private HttpRequest request(UpstreamCall call, RelayRequest request) throws IOException {
        HttpRequest.Builder r = HttpRequest.newBuilder(URI.create(call.url())).timeout(timeout);
        call.headers().forEach(r::header);
        if (call.isStream()) {
            r.header("Accept", "text/event-stream");
        }
        byte[] body;
        if (call.isPassThrough()) {
            ObjectNode b = ((ObjectNode) request.body()).deepCopy();
            b.put("model", request.upstreamModel());
            if (request.stream()) {
                b.putObject("stream_options").put("include_usage", true);
            }
            body = JSON.writeValueAsBytes(b);
            r.header("Content-Type", "application/json");
        } else {
            body = call.body();
            if (call.contentType() != null) {
                r.header("Content-Type", call.contentType());
            }
        }
        r.method(call.method(), body == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofByteArray(body));
        return r.build();
    }

    /** @return the in-band error that ended the stream, or {@code null} when it ended normally */
    private static UpstreamError stream(StreamTranslator t, InputStream in, List<JsonNode> chunks)
            throws IOException {
        UpstreamError[] failure = new UpstreamError[1];
        boolean[] stop = new boolean[1];
        SseReader.read(in, ev -> {
            if (stop[0]) {
                return;
            }
            if (t == null) {
                if (ev.data().equals("[DONE]")) {
                    stop[0] = true;
                } else {
                    chunks.add(parse(ev));
                }
                return;
            }
            try {
                t.onEvent(ev, chunks::add);
            } catch (UpstreamErrorException e) {
                failure[0] = e.error();
                stop[0] = true;
                return;
            }
            stop[0] = t.finished();
        });
        if (failure[0] == null && t != null) {
            t.onEnd(chunks::add);
        }
        return failure[0];
    }

    private static JsonNode parse(SseEvent ev) {
        try {
            return JSON.readTree(ev.data());
        } catch (IOException e) {
            throw new AssertionError("a pass-through stream event is not JSON: " + ev.data(), e);
        }
    }

    /**
     * What the client would get from one relayed request.
     *
     * @param status the client's status: 200, or the error's status when the call failed before any chunk
     * @param body the JSON body of a non-streamed answer, else {@code null} (also for a pass-through answer
     *     that is not JSON)
     * @param chunks the chunks of a streamed answer, in order (before an in-band error, if any)
     * @param usage the usage the adapter reported ({@link Usage#NONE} for pass-through: the core reads it)
     * @param error the translated error, or {@code null} on success
     * @param sends how many times the main call was sent (2 after a refresh-and-retry)
     * @param lastCall the last call the adapter prepared, or {@code null} when prepare failed
     */
    public record Answer(int status, JsonNode body, List<JsonNode> chunks, Usage usage, UpstreamError error,
            int sends, UpstreamCall lastCall) {

        static Answer failed(UpstreamError e, List<JsonNode> chunks, int sends, UpstreamCall call) {
            return new Answer(chunks.isEmpty() ? e.status() : 200, null, List.copyOf(chunks), Usage.NONE, e, sends,
                    call);
        }

        /** @return whether the request succeeded */
        public boolean ok() {
            return error == null;
        }

        /** @return the error as the client's OpenAI error object; an {@link AssertionError} on success */
        public JsonNode errorBody() {
            if (error == null) {
                throw new AssertionError("the request succeeded: no error body");
            }
            return OpenAiAssertions.errorBody(error);
        }
    }
}
