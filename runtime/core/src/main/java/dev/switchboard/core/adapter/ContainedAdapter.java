package dev.switchboard.core.adapter;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.api.provider.Balance;
import dev.switchboard.api.provider.Channel;
import dev.switchboard.api.provider.ChannelType;
import dev.switchboard.api.provider.ProviderAdapter;
import dev.switchboard.api.provider.RelayRequest;
import dev.switchboard.api.provider.StreamTranslator;
import dev.switchboard.api.provider.TranslatedResponse;
import dev.switchboard.api.provider.UpstreamCall;
import dev.switchboard.api.provider.UpstreamClient;
import dev.switchboard.api.provider.UpstreamError;
import dev.switchboard.api.provider.UpstreamErrorException;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * A plugin's adapter as the core calls it: whatever the plugin throws (a bug, a {@link LinkageError} from a
 * bundle being replaced) comes out as a {@link PluginFailure} naming the plugin, or as a failed stage for the
 * methods that answer with one; an {@link UpstreamErrorException} passes as the contract says. The channel type
 * is read once, at registration, so routing never calls into the plugin for it.
 *
 * <p>Made once per service, not per request: the happy path costs a try block. The stream translator the
 * plugin makes is handed out as it is (the relay contains its calls), so a stream allocates nothing more.
 */
final class ContainedAdapter implements ProviderAdapter {

    private final ProviderAdapter plugin;
    private final String name;
    private final ChannelType type;

    /**
     * @param plugin the plugin's service
     * @param name the plugin, as failures name it
     * @throws PluginFailure when the plugin cannot describe its channel type
     */
    ContainedAdapter(ProviderAdapter plugin, String name) {
        this.plugin = plugin;
        this.name = name;
        ChannelType t;
        try {
            t = plugin.channelType();
        } catch (Throwable e) {
            throw PluginFailure.of(name, "channelType", e);
        }
        if (t == null) {
            throw PluginFailure.of(name, "channelType", new NullPointerException("no channel type"));
        }
        this.type = t;
    }

    @Override
    public ChannelType channelType() {
        return type;
    }

    @Override
    public List<String> validateConfig(JsonNode config) {
        try {
            return plugin.validateConfig(config);
        } catch (Throwable e) {
            throw PluginFailure.of(name, "validateConfig", e);
        }
    }

    @Override
    public CompletionStage<UpstreamCall> prepare(RelayRequest request, Channel channel, UpstreamClient client) {
        try {
            return stage(plugin.prepare(request, channel, client), "prepare");
        } catch (Throwable e) {
            return failed(e, "prepare");
        }
    }

    @Override
    public TranslatedResponse translateResponse(RelayRequest request, int status, JsonNode body)
            throws UpstreamErrorException {
        TranslatedResponse t;
        try {
            t = plugin.translateResponse(request, status, body);
        } catch (UpstreamErrorException e) {
            throw e;
        } catch (Throwable e) {
            throw PluginFailure.of(name, "translateResponse", e);
        }
        return present(t == null || t.body() == null ? null : t, "translateResponse");
    }

    @Override
    public StreamTranslator newStreamTranslator(RelayRequest request) {
        StreamTranslator t;
        try {
            t = plugin.newStreamTranslator(request);
        } catch (Throwable e) {
            throw PluginFailure.of(name, "newStreamTranslator", e);
        }
        return present(t, "newStreamTranslator");
    }

    @Override
    public UpstreamError translateError(int status, String contentType, byte[] body) {
        UpstreamError e;
        try {
            e = plugin.translateError(status, contentType, body);
        } catch (Throwable x) {
            throw PluginFailure.of(name, "translateError", x);
        }
        return present(e, "translateError");
    }

    @Override
    public CompletionStage<Balance> balance(Channel channel, UpstreamClient client) {
        try {
            return stage(plugin.balance(channel, client), "balance");
        } catch (Throwable e) {
            return failed(e, "balance");
        }
    }

    @Override
    public CompletionStage<List<String>> listModels(Channel channel, UpstreamClient client) {
        try {
            return stage(plugin.listModels(channel, client), "listModels");
        } catch (Throwable e) {
            return failed(e, "listModels");
        }
    }

    /** @return the plugin's service itself */
    ProviderAdapter plugin() {
        return plugin;
    }

    /** A missing answer where the contract wants one is the plugin's failure too. */
    private <T> T present(T answer, String method) {
        if (answer == null) {
            throw PluginFailure.of(name, method, new NullPointerException(method + " answered null"));
        }
        return answer;
    }

    private <T> CompletionStage<T> stage(CompletionStage<T> s, String method) {
        return s != null ? s : failed(new NullPointerException("no stage"), method);
    }

    private <T> CompletionStage<T> failed(Throwable e, String method) {
        return CompletableFuture.failedFuture(e instanceof UpstreamErrorException ? e
                : PluginFailure.of(name, method, e));
    }
}
