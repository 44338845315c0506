package dev.switchboard.plugin.qianfan;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
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
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.osgi.service.component.annotations.Component;

/**
 * The {@code qianfan} channel type: Baidu Qianfan, v1 or v2 per channel. The v1 access tokens live in this
 * instance (see {@link TokenCache}); a replacement instance starts with none.
 */
@Component(service = ProviderAdapter.class)
public final class QianfanAdapter implements ProviderAdapter {

    // The plugin's own mapper: its caches die with the plugin.
    private final ObjectMapper mapper = new ObjectMapper();
    private final TokenCache tokens;
    private final V1Calls v1 = new V1Calls(mapper);
    private final V2Calls v2 = new V2Calls(mapper);

    /** Creates the adapter, as Declarative Services does. */
    public QianfanAdapter() {
        this(Clock.systemUTC());
    }

    QianfanAdapter(Clock clock) {
        TokenExchange exchange = new TokenExchange(mapper, clock);
        this.tokens = new TokenCache(exchange::fetch, clock);
    }

    @Override
    public ChannelType channelType() {
        return QianfanChannelType.TYPE;
    }

    @Override
    public List<String> validateConfig(JsonNode config) {
        return QianfanChannelType.validate(config);
    }

    @Override
    public CompletionStage<UpstreamCall> prepare(RelayRequest request, Channel channel, UpstreamClient client) {
        try {
            if (QianfanChannelType.ApiVersion.of(channel) == QianfanChannelType.ApiVersion.V2) {
                return CompletableFuture.completedFuture(v2.call(request, channel));
            }
            V1Key.parse(channel.key());
            ObjectNode body = v1.body(request);
            return tokens.get(channel, client).thenApply(token -> v1.call(request, channel, body, token.value()));
        } catch (UpstreamErrorException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    @Override
    public TranslatedResponse translateResponse(RelayRequest request, int status, JsonNode body)
            throws UpstreamErrorException {
        Optional<UpstreamError> error = ErrorBodies.inBody(body);
        if (error.isPresent()) {
            UpstreamError e = error.get();
            if (e.refreshAndRetry()) {
                // The core names the channel of this attempt: drop its token, so the re-sent call fetches anew.
                if (request.channel() != null) {
                    tokens.dropChannel(request.channel().id());
                } else {
                    tokens.dropAll();
                }
            }
            throw new UpstreamErrorException(e);
        }
        return switch (request.operation()) {
            case CHAT -> V1ChatResponse.translate(request, body, mapper);
            case EMBEDDINGS -> Embeddings.toOpenAi(request, body, mapper);
            case RERANK -> Rerank.toOpenAi(request, body, mapper);
            default -> throw new IllegalStateException("qianfan makes no " + request.operation().wireName()
                    + " calls");
        };
    }

    @Override
    public StreamTranslator newStreamTranslator(RelayRequest request) {
        return new V1StreamTranslator(request, mapper);
    }

    @Override
    public UpstreamError translateError(int status, String contentType, byte[] body) {
        UpstreamError e = ErrorBodies.translate(status, body, mapper);
        if (e.refreshAndRetry()) {
            // Baidu sends 110/111 with HTTP 200; on another status the request, hence the channel, is unknown.
            tokens.dropAll();
        }
        return e;
    }

    @Override
    public CompletionStage<Balance> balance(Channel channel, UpstreamClient client) {
        return CompletableFuture.failedFuture(new UnsupportedOperationException(
                "Baidu Qianfan offers no balance API: the balance is not available"));
    }

    /** @return the token cache, for tests */
    TokenCache tokens() {
        return tokens;
    }
}
