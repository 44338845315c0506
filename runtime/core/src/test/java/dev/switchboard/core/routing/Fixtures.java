package dev.switchboard.core.routing;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.switchboard.api.provider.Channel;
import dev.switchboard.api.provider.ChannelType;
import dev.switchboard.api.provider.Operation;
import dev.switchboard.api.provider.ProviderAdapter;
import dev.switchboard.api.provider.RelayRequest;
import dev.switchboard.api.provider.UpstreamCall;
import dev.switchboard.api.provider.UpstreamClient;
import dev.switchboard.api.provider.UpstreamError;
import dev.switchboard.core.adapter.AdapterRegistry;
import dev.switchboard.core.adapter.InstalledAdapter;
import dev.switchboard.core.channel.Channels;
import dev.switchboard.core.store.ChannelRecord;
import dev.switchboard.core.store.MapDbStore;
import dev.switchboard.core.store.SecretBox;
import dev.switchboard.core.store.Store;
import dev.switchboard.core.store.TokenRecord;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/** Channels, adapters and a store in memory, for routing and relay tests. */
public final class Fixtures {

    private Fixtures() {
    }

    /** @return an enabled channel of type {@code fake} in group {@code default} */
    public static ChannelRecord channel(long id, int priority, int weight, String... models) {
        return new ChannelRecord(id, "channel " + id, "fake", "", "sk-...", null, List.of(models), Map.of(),
                List.of("default"), priority, weight, ChannelRecord.ENABLED, null,
                JsonNodeFactory.instance.objectNode(), null, 0, null, null, null, 0, 0);
    }

    /** @return a channel with another type, groups, status or mapping */
    public static ChannelRecord channel(long id, String type, List<String> groups, String status,
            Map<String, String> mapping, String... models) {
        return new ChannelRecord(id, "channel " + id, type, "", "sk-...", null, List.of(models), mapping, groups, 0,
                1, status, null, JsonNodeFactory.instance.objectNode(), null, 0, null, null, null, 0, 0);
    }

    /** @return a registry with the {@code fake} type (chat and embeddings) installed */
    public static AdapterRegistry adapters() {
        AdapterRegistry r = new AdapterRegistry();
        r.add(installed("fake", Operation.CHAT, Operation.EMBEDDINGS));
        return r;
    }

    /** @return an installed adapter of a type supporting some operations */
    public static InstalledAdapter installed(String type, Operation... ops) {
        ChannelType t = ChannelType.builder(type).name(type).defaultBaseUrl("http://127.0.0.1:9/v1").operations(ops)
                .build();
        ProviderAdapter a = new ProviderAdapter() {
            @Override
            public ChannelType channelType() {
                return t;
            }

            @Override
            public CompletionStage<UpstreamCall> prepare(RelayRequest request, Channel channel,
                    UpstreamClient client) {
                return CompletableFuture.failedFuture(new IllegalStateException("not in tests"));
            }

            @Override
            public UpstreamError translateError(int status, String contentType, byte[] body) {
                return UpstreamError.builder(502, "upstream_error", "HTTP " + status).retryable(true).build();
            }
        };
        return new InstalledAdapter(a, type.hashCode(), 0, 1, "test." + type, "1.0.0");
    }

    /** @return the channels registry over these records */
    public static Channels channels(Path tmp, ChannelRecord... records) {
        MapDbStore store = new MapDbStore(tmp.resolve("routing-test.db"));
        for (ChannelRecord r : records) {
            store.saveChannel(r).toCompletableFuture().join();
        }
        return new Channels(store, SecretBox.open(Optional.of(
                "a passphrase for tests only, long enough"), tmp.resolve("secret.key")), adapters());
    }
}
