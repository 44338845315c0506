package dev.switchboard.core.relay;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.api.provider.Operation;
import dev.switchboard.api.provider.ProviderAdapter;
import dev.switchboard.api.provider.UpstreamCall;
import dev.switchboard.api.provider.UpstreamError;
import dev.switchboard.api.provider.UpstreamErrorException;
import dev.switchboard.core.adapter.AdapterRegistry;
import dev.switchboard.core.adapter.InstalledAdapter;
import dev.switchboard.core.adapter.PluginFailure;
import dev.switchboard.core.channel.Channels;
import dev.switchboard.core.json.BadInput;
import dev.switchboard.core.json.Json;
import dev.switchboard.core.routing.ModelNames;
import dev.switchboard.core.store.ChannelRecord;
import dev.switchboard.core.upstream.ChannelSnapshot;
import dev.switchboard.core.upstream.HttpClients;
import dev.switchboard.core.upstream.SideCalls;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.client.BytesRequestContent;
import org.eclipse.jetty.client.ContentResponse;
import org.eclipse.jetty.http.HttpHeader;

/**
 * The admin "test" action: one small, non-streamed chat through the channel's adapter, timed. Records the
 * latency as the channel's response time. Blocking: it runs on an admin thread, never on the relay's path.
 */
public final class ChannelTester {

    private final Channels channels;
    private final AdapterRegistry adapters;
    private final HttpClients http;
    private final Duration timeout;

    /**
     * @param channels the channel registry
     * @param adapters the installed channel types
     * @param http the upstream clients
     * @param timeout how long a test may take
     */
    public ChannelTester(Channels channels, AdapterRegistry adapters, HttpClients http, Duration timeout) {
        this.channels = channels;
        this.adapters = adapters;
        this.http = http;
        this.timeout = timeout;
    }

    /**
     * @param channel the channel to test
     * @param requestedModel the model to ask for, or {@code null} for the channel's first
     * @return {@code {success, model, status, latency_ms, message}}
     */
    public ObjectNode test(ChannelRecord channel, String requestedModel) {
        InstalledAdapter installed = adapters.find(channel.type()).orElseThrow(() -> new BadInput(409,
                "type_not_installed", null, "channel type '" + channel.type() + "' is not installed"));
        ProviderAdapter adapter = installed.adapter();
        String model = requestedModel != null && !requestedModel.isBlank() ? requestedModel
                : !ModelNames.exact(channel.models()).isEmpty() ? ModelNames.exact(channel.models()).get(0)
                : adapter.channelType().defaultModels().stream().findFirst().orElseThrow(() -> BadInput.invalid(
                        "model", "the channel lists no exact model name (patterns such as qwen-* cannot be "
                                + "tested): pass ?model=<name>"));
        String upstreamModel = channel.modelMapping().getOrDefault(model, model);
        ObjectNode body = Json.object();
        body.put("model", upstreamModel);
        body.putArray("messages").addObject().put("role", "user").put("content", "Say hi.");
        ChannelSnapshot snapshot = ChannelSnapshot.of(channel, channels.key(channel), adapter.channelType());
        ClientRequest request = new ClientRequest(Operation.CHAT, model, upstreamModel, false, false, body,
                Map.of(), "test-" + channel.id(), snapshot);
        long start = System.nanoTime();
        ObjectNode result = Json.object();
        result.put("model", model);
        try {
            UpstreamCall call = adapter.prepare(request, snapshot,
                    new SideCalls(http.forChannel(channel.proxy(), connect(channel)), timeout)).toCompletableFuture()
                    .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            byte[] payload = call.isPassThrough() ? Json.bytes(body) : call.body();
            // Built as the relay builds its calls (the same Host header), so a test call is what a relayed one is.
            org.eclipse.jetty.client.Request r = http.newRequest(http.forChannel(channel.proxy(), connect(channel)),
                    call.url()).method(call.method()).timeout(timeout.toMillis(), TimeUnit.MILLISECONDS);
            r.headers(h -> {
                call.headers().forEach(h::put);
                h.put(HttpHeader.ACCEPT_ENCODING, "identity");
            });
            if (payload != null) {
                r.body(new BytesRequestContent(call.isPassThrough() ? "application/json" : call.contentType(),
                        payload));
            }
            ContentResponse answer = r.send();
            long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            result.put("status", answer.getStatus());
            result.put("latency_ms", ms);
            if (answer.getStatus() / 100 == 2) {
                JsonNode json = Json.MAPPER.readTree(answer.getContent());
                JsonNode openAi = call.isPassThrough() ? json
                        : adapter.translateResponse(request, answer.getStatus(), json).body();
                result.put("success", true);
                result.put("message", openAi.path("choices").path(0).path("message").path("content").asText(""));
                channels.recordResponseTime(channel.id(), ms);
            } else {
                UpstreamError e = adapter.translateError(answer.getStatus(), answer.getMediaType(),
                        answer.getContent());
                result.put("success", false);
                result.put("message", e.message());
            }
        } catch (java.util.concurrent.ExecutionException e) {
            Throwable cause = e.getCause();
            fail(result, start, cause instanceof UpstreamErrorException u ? u.error().message()
                    : cause instanceof PluginFailure ? cause.getMessage()
                    : cause instanceof java.util.concurrent.TimeoutException ? "timed out"
                    : "request failed (" + cause.getClass().getSimpleName() + ")");
        } catch (UpstreamErrorException e) {
            fail(result, start, e.error().message());
        } catch (java.util.concurrent.TimeoutException e) {
            fail(result, start, "timed out after " + timeout.toSeconds() + " s");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            fail(result, start, "interrupted");
        } catch (PluginFailure e) {
            fail(result, start, e.getMessage());
        } catch (java.io.IOException | RuntimeException e) {
            fail(result, start, "the answer could not be read (" + e.getClass().getSimpleName() + ")");
        }
        return result;
    }

    private static Duration connect(ChannelRecord channel) {
        Long ms = channel.timeoutsOrNone().connectMs();
        return ms == null ? null : Duration.ofMillis(ms);
    }

    private static void fail(ObjectNode result, long start, String message) {
        result.put("success", false);
        result.put("latency_ms", TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
        result.put("message", message);
    }
}
