package dev.switchboard.plugin.siliconcloud;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.api.provider.Balance;
import dev.switchboard.api.provider.Channel;
import dev.switchboard.api.provider.ChannelType;
import dev.switchboard.api.provider.ProviderAdapter;
import dev.switchboard.api.provider.RelayRequest;
import dev.switchboard.api.provider.TranslatedResponse;
import dev.switchboard.api.provider.UpstreamCall;
import dev.switchboard.api.provider.UpstreamClient;
import dev.switchboard.api.provider.UpstreamError;
import dev.switchboard.api.provider.UpstreamErrorException;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.osgi.service.component.annotations.Component;

/**
 * SiliconFlow (SiliconCloud) as the {@code siliconcloud} channel type. Chat, completions, embeddings, speech and
 * transcription are pass-through calls; rerank and image generation are translated; balance and the model list
 * are side calls; SiliconFlow's non-OpenAI error bodies become the relay contract's errors.
 */
@Component(service = ProviderAdapter.class)
public final class SiliconCloudAdapter implements ProviderAdapter {

    // The plugin's own mapper: its caches die with the plugin.
    private final ObjectMapper mapper = new ObjectMapper();
    private final RerankTranslation rerank = new RerankTranslation(mapper);
    private final ImageTranslation images = new ImageTranslation(mapper);
    private final BalanceReader balances = new BalanceReader(mapper);
    private final ModelList models = new ModelList(mapper);

    @Override
    public ChannelType channelType() {
        return SiliconCloudType.TYPE;
    }

    @Override
    public CompletionStage<UpstreamCall> prepare(RelayRequest request, Channel channel, UpstreamClient client) {
        try {
            return CompletableFuture.completedFuture(call(request, channel));
        } catch (UpstreamErrorException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    private UpstreamCall call(RelayRequest request, Channel channel) throws UpstreamErrorException {
        if (PassThrough.handles(request.operation())) {
            return PassThrough.call(request, channel);
        }
        String base = SiliconCloudType.baseUrl(channel);
        JsonNode body = switch (request.operation()) {
            case RERANK -> rerank.request(request);
            case IMAGES -> images.request(request);
            default -> throw new UpstreamErrorException(UpstreamError.builder(400, "unsupported_operation",
                    "[" + SiliconFlowErrors.VENDOR + "] " + request.operation().wireName()
                            + " is not offered by SiliconFlow").retryable(true).build());
        };
        String path = switch (request.operation()) {
            case RERANK -> "/rerank";
            default -> "/images/generations";
        };
        return UpstreamCall.translated("POST", base + path, bytes(body), "application/json")
                .header("Authorization", SiliconCloudType.authorization(channel))
                .build();
    }

    @Override
    public TranslatedResponse translateResponse(RelayRequest request, int status, JsonNode body)
            throws UpstreamErrorException {
        return switch (request.operation()) {
            case RERANK -> rerank.response(request, body);
            case IMAGES -> images.response(body, System.currentTimeMillis() / 1000);
            default -> throw new IllegalStateException(request.operation().wireName() + " is a pass-through call");
        };
    }

    @Override
    public UpstreamError translateError(int status, String contentType, byte[] body) {
        return SiliconFlowErrors.translate(status, body, mapper);
    }

    @Override
    public CompletionStage<Balance> balance(Channel channel, UpstreamClient client) {
        return balances.read(channel, client);
    }

    @Override
    public CompletionStage<List<String>> listModels(Channel channel, UpstreamClient client) {
        return models.read(channel, client);
    }

    private byte[] bytes(JsonNode body) {
        try {
            return mapper.writeValueAsBytes(body);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            // A tree built from parsed JSON always serialises.
            throw new IllegalStateException(e);
        }
    }
}
