package dev.switchboard.plugin.qianfan;

import dev.switchboard.testkit.JdkUpstreamClient;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.api.provider.Channel;
import dev.switchboard.api.provider.ProviderAdapter;
import dev.switchboard.api.provider.SseEvent;
import dev.switchboard.api.provider.StreamTranslator;
import dev.switchboard.api.provider.TranslatedResponse;
import dev.switchboard.api.provider.UpstreamCall;
import dev.switchboard.api.provider.UpstreamError;
import dev.switchboard.api.provider.UpstreamErrorException;
import dev.switchboard.api.provider.Usage;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * Drives an adapter as the gateway core does (RelayHandler and Exchange): prepare, send, then translateResponse,
 * a fresh StreamTranslator, or translateError; one re-prepared call on a refreshAndRetry verdict. Blocking, for
 * tests only.
 */
final class MiniCore {

    /** What the client would get. */
    record Answer(int status, JsonNode body, List<JsonNode> chunks, Usage usage, UpstreamError error, int sends,
            UpstreamCall lastCall) {
    }

    private final ProviderAdapter adapter;
    final JdkUpstreamClient client = new JdkUpstreamClient();

    MiniCore(ProviderAdapter adapter) {
        this.adapter = adapter;
    }

    Answer relay(TestRequest request, Channel channel) throws Exception {
        int sends = 0;
        boolean refreshed = false;
        while (true) {
            UpstreamCall call;
            try {
                call = adapter.prepare(request, channel, client).toCompletableFuture().get(20, TimeUnit.SECONDS);
            } catch (ExecutionException e) {
                if (e.getCause() instanceof UpstreamErrorException u) {
                    return error(u.error(), sends, null);
                }
                throw e;
            }
            sends++;
            HttpRequest.Builder r = HttpRequest.newBuilder(URI.create(call.url())).timeout(Duration.ofSeconds(20));
            call.headers().forEach(r::header);
            if (call.isStream()) {
                r.header("Accept", "text/event-stream");
            }
            byte[] body = call.isPassThrough() ? passThroughBody(request) : call.body();
            r.header("Content-Type", call.isPassThrough() ? "application/json" : call.contentType());
            r.method(call.method(), HttpRequest.BodyPublishers.ofByteArray(body));
            HttpResponse<InputStream> answer = client.http().send(r.build(), HttpResponse.BodyHandlers.ofInputStream());
            String type = answer.headers().firstValue("Content-Type").orElse("");
            UpstreamError failure;
            if (answer.statusCode() / 100 != 2) {
                failure = adapter.translateError(answer.statusCode(), type, answer.body().readAllBytes());
            } else if (type.startsWith("text/event-stream")) {
                return stream(request, call, answer.body(), sends);
            } else {
                byte[] bytes = answer.body().readAllBytes();
                JsonNode json = TestRequest.JSON.readTree(bytes);
                if (call.isPassThrough()) {
                    return new Answer(200, json, List.of(), Usage.NONE, null, sends, call);
                }
                try {
                    TranslatedResponse t = adapter.translateResponse(request, answer.statusCode(), json);
                    return new Answer(200, t.body(), List.of(), t.usage(), null, sends, call);
                } catch (UpstreamErrorException e) {
                    failure = e.error();
                }
            }
            if (failure.refreshAndRetry() && !refreshed) {
                refreshed = true;
                continue;
            }
            return error(failure, sends, call);
        }
    }

    private static byte[] passThroughBody(TestRequest request) throws Exception {
        ObjectNode b = request.body().deepCopy();
        b.put("model", request.upstreamModel());
        if (request.stream()) {
            b.putObject("stream_options").put("include_usage", true);
        }
        return TestRequest.JSON.writeValueAsBytes(b);
    }

    private Answer stream(TestRequest request, UpstreamCall call, InputStream in, int sends) throws Exception {
        List<JsonNode> chunks = new ArrayList<>();
        StreamTranslator t = call.isPassThrough() ? null : adapter.newStreamTranslator(request);
        try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            String line;
            StringBuilder data = null;
            while ((line = r.readLine()) != null) {
                if (line.isEmpty()) {
                    if (data != null) {
                        String d = data.toString();
                        data = null;
                        if (t == null) {
                            if (d.equals("[DONE]")) {
                                break;
                            }
                            chunks.add(TestRequest.JSON.readTree(d));
                        } else {
                            t.onEvent(new SseEvent(null, null, d), chunks::add);
                            if (t.finished()) {
                                break;
                            }
                        }
                    }
                } else if (line.startsWith("data:")) {
                    String v = line.substring(5);
                    v = v.startsWith(" ") ? v.substring(1) : v;
                    data = data == null ? new StringBuilder(v) : data.append('\n').append(v);
                }
            }
        } catch (UpstreamErrorException e) {
            return error(e.error(), sends, call);
        }
        if (t != null) {
            t.onEnd(chunks::add);
        }
        return new Answer(200, null, chunks, t == null ? Usage.NONE : t.usage(), null, sends, call);
    }

    private static Answer error(UpstreamError e, int sends, UpstreamCall call) {
        return new Answer(e.status(), null, List.of(), Usage.NONE, e, sends, call);
    }
}
