package dev.switchboard.core.admin;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.api.provider.Balance;
import dev.switchboard.api.provider.Operation;
import dev.switchboard.core.adapter.AdapterRegistry;
import dev.switchboard.core.adapter.InstalledAdapter;
import dev.switchboard.core.channel.ChannelJson;
import dev.switchboard.core.channel.Channels;
import dev.switchboard.core.json.BadInput;
import dev.switchboard.core.json.Json;
import dev.switchboard.core.relay.ChannelTester;
import dev.switchboard.core.routing.ModelNames;
import dev.switchboard.core.store.ChannelRecord;
import dev.switchboard.core.upstream.ChannelSnapshot;
import dev.switchboard.core.upstream.HttpClients;
import dev.switchboard.core.upstream.SideCalls;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** {@code /api/channels}: create, list, read, change, delete, enable, disable, balance, fetch models. */
public final class ChannelsApi {

    private final Channels channels;
    private final AdapterRegistry adapters;
    private final HttpClients http;
    private final Duration sideCallTimeout;
    private final ChannelTester tester;

    /**
     * @param channels the channel registry
     * @param adapters the installed channel types
     * @param http the upstream clients, for balance and model listing
     * @param sideCallTimeout how long those may take
     * @param tester runs the "test" action
     */
    public ChannelsApi(Channels channels, AdapterRegistry adapters, HttpClients http, Duration sideCallTimeout,
            ChannelTester tester) {
        this.tester = tester;
        this.channels = channels;
        this.adapters = adapters;
        this.http = http;
        this.sideCallTimeout = sideCallTimeout;
    }

    /** @param router where to add the routes */
    public void register(Router router) {
        router.add("GET", "channels", this::list)
                .add("POST", "channels", call -> ApiResult.created(view(channels.create(call.json()))))
                .add("GET", "channels/{channel_id}", call -> ApiResult.ok(view(find(call))))
                .add("PUT", "channels/{channel_id}", call -> ApiResult.ok(view(
                        channels.update(call.id("channel_id"), call.json()).orElseThrow(() -> missing(call)))))
                .add("DELETE", "channels/{channel_id}", call -> {
                    if (!channels.delete(call.id("channel_id"))) {
                        throw missing(call);
                    }
                    return ApiResult.noContent();
                })
                .add("POST", "channels/{channel_id}/enable", call -> status(call, ChannelRecord.ENABLED, null))
                .add("POST", "channels/{channel_id}/disable",
                        call -> status(call, ChannelRecord.DISABLED, "disabled by an operator"))
                .add("POST", "channels/{channel_id}/test", call -> ApiResult.ok(tester.test(find(call),
                        call.queryValue("model"))))
                .add("GET", "channels/{channel_id}/balance", this::balance)
                .add("POST", "channels/{channel_id}/fetch-models", this::fetchModels);
    }

    private ApiResult list(ApiCall call) {
        String type = call.queryValue("type");
        String status = call.queryValue("status");
        String model = call.queryValue("model");
        String q = call.queryValue("q");
        String needle = q == null ? null : q.toLowerCase(Locale.ROOT);
        List<ChannelRecord> matching = channels.list().stream()
                .filter(c -> type == null || c.type().equals(type))
                .filter(c -> status == null || c.status().equals(status))
                .filter(c -> model == null || ModelNames.serves(c.models(), model))
                .filter(c -> needle == null || c.name().toLowerCase(Locale.ROOT).contains(needle)
                        || (c.baseUrl() != null && c.baseUrl().toLowerCase(Locale.ROOT).contains(needle))
                        || c.models().stream().anyMatch(m -> m.toLowerCase(Locale.ROOT).contains(needle)))
                .toList();
        return ApiResult.ok(Pages.of(call, matching, this::view));
    }

    private ApiResult status(ApiCall call, String status, String reason) {
        return ApiResult.ok(view(channels.setStatus(call.id("channel_id"), status, reason)
                .orElseThrow(() -> missing(call))));
    }

    private ApiResult balance(ApiCall call) {
        ChannelRecord c = find(call);
        InstalledAdapter a = supporting(c, Operation.BALANCE, "report a balance");
        Balance b = await(a.adapter().balance(snapshot(c, a), sideCalls(c)), "reading the balance");
        ChannelRecord updated = channels.recordBalance(c.id(), b).orElseThrow(() -> missing(call));
        ObjectNode o = Json.object();
        o.put("balance", updated.balance());
        o.put("balance_currency", updated.balanceCurrency());
        o.put("balance_updated_at", updated.balanceUpdatedAt());
        return ApiResult.ok(o);
    }

    private ApiResult fetchModels(ApiCall call) {
        ChannelRecord c = find(call);
        InstalledAdapter a = supporting(c, Operation.MODELS, "list models");
        List<String> models = await(a.adapter().listModels(snapshot(c, a), sideCalls(c)), "listing models");
        ObjectNode o = Json.object();
        o.set("data", Json.MAPPER.valueToTree(models));
        o.put("total", models.size());
        return ApiResult.ok(o);
    }

    private InstalledAdapter supporting(ChannelRecord c, Operation op, String what) {
        InstalledAdapter a = adapters.find(c.type()).orElseThrow(() -> new BadInput(409, "type_not_installed",
                null, "channel type '" + c.type() + "' is not installed"));
        if (!a.adapter().channelType().operations().contains(op)) {
            throw new BadInput(409, "unsupported_operation", null, "channel type '" + c.type() + "' cannot " + what);
        }
        return a;
    }

    private ChannelSnapshot snapshot(ChannelRecord c, InstalledAdapter a) {
        return ChannelSnapshot.of(c, channels.key(c), a.adapter().channelType());
    }

    private SideCalls sideCalls(ChannelRecord c) {
        return new SideCalls(http.forProxy(c.proxy()), sideCallTimeout);
    }

    private <T> T await(CompletionStage<T> stage, String what) {
        try {
            return stage.toCompletableFuture().get(sideCallTimeout.toMillis() + 1000, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BadInput(503, "interrupted", null, what + " was interrupted");
        } catch (TimeoutException e) {
            throw new BadInput(504, "upstream_timeout", null, what + " timed out");
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            String message = cause instanceof dev.switchboard.api.provider.UpstreamErrorException u
                    ? u.error().message() : cause.getMessage();
            throw new BadInput(502, "upstream_error", null, what + " failed: " + message);
        }
    }

    private ChannelRecord find(ApiCall call) {
        return channels.get(call.id("channel_id")).orElseThrow(() -> missing(call));
    }

    private ObjectNode view(ChannelRecord c) {
        ObjectNode o = ChannelJson.of(c, channels.typeInstalled(c.type()));
        // The moving average, with the traffic not yet stored.
        o.put("response_time_ms", channels.responseTimeMs(c));
        return o;
    }

    private static BadInput missing(ApiCall call) {
        return new BadInput(404, "not_found", null, "no channel with id " + call.param("channel_id"));
    }
}
