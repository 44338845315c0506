package dev.switchboard.plugin.qwen;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.api.provider.Channel;
import dev.switchboard.api.provider.ChannelType;
import dev.switchboard.api.provider.Operation;
import dev.switchboard.api.provider.ProviderAdapter;
import dev.switchboard.api.provider.RelayRequest;
import dev.switchboard.api.provider.SideCall;
import dev.switchboard.api.provider.StreamTranslator;
import dev.switchboard.api.provider.TranslatedResponse;
import dev.switchboard.api.provider.UpstreamCall;
import dev.switchboard.api.provider.UpstreamClient;
import dev.switchboard.api.provider.UpstreamError;
import dev.switchboard.api.provider.UpstreamErrorException;
import dev.switchboard.api.provider.Usage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.osgi.service.component.annotations.Component;

/**
 * The {@code qwen} channel type: Alibaba DashScope. In compatible mode chat, completions and embeddings are
 * pass-through calls (with the quirks of {@link CompatibleCalls}); in native mode chat and embeddings are translated
 * ({@link NativeChatRequest}, {@link NativeChatResponse}, {@link NativeStreamTranslator}, {@link Embeddings});
 * rerank always goes to the native service ({@link Rerank}). Errors of both shapes go through {@link QwenErrors}.
 */
@Component(service = ProviderAdapter.class)
public final class QwenAdapter implements ProviderAdapter {

    // The plugin's own mapper: its caches die with the plugin.
    private final ObjectMapper mapper = new ObjectMapper();

    @Override
    public ChannelType channelType() {
        return QwenChannelType.TYPE;
    }

    @Override
    public List<String> validateConfig(JsonNode config) {
        return QwenChannelType.validate(config);
    }

    @Override
    public CompletionStage<UpstreamCall> prepare(RelayRequest request, Channel channel, UpstreamClient client) {
        QwenEndpoints endpoints = QwenEndpoints.of(channel);
        try {
            UpstreamCall.Builder call = switch (request.operation()) {
                case RERANK -> nativeCall(endpoints, QwenEndpoints.RERANK,
                        Rerank.nativeRequest(request.body(), request.upstreamModel(), mapper));
                case CHAT -> endpoints.nativeMode() ? nativeChat(request, endpoints)
                        : CompatibleCalls.prepare(request, endpoints, mapper);
                case EMBEDDINGS -> endpoints.nativeMode() ? nativeCall(endpoints, QwenEndpoints.EMBEDDINGS,
                        Embeddings.nativeRequest(request.body(), request.upstreamModel(), mapper))
                        : CompatibleCalls.prepare(request, endpoints, mapper);
                case COMPLETIONS -> {
                    if (endpoints.nativeMode()) {
                        throw unsupported("legacy completions need a qwen channel in compatible mode");
                    }
                    yield CompatibleCalls.prepare(request, endpoints, mapper);
                }
                default -> throw unsupported("qwen channels do not serve " + request.operation().wireName());
            };
            endpoints.headers().forEach(call::header);
            return CompletableFuture.completedFuture(call.build());
        } catch (UpstreamErrorException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    private UpstreamCall.Builder nativeChat(RelayRequest request, QwenEndpoints endpoints)
            throws UpstreamErrorException {
        // Stream-only models are streamed even when the client did not ask; the core assembles the chunks.
        boolean stream = request.stream() || QwenModels.streamOnly(request.upstreamModel());
        NativeChatRequest.Built built = NativeChatRequest.build(request.body(), request.upstreamModel(), stream,
                mapper);
        UpstreamCall.Builder call = nativeCall(endpoints, built.multimodal() ? QwenEndpoints.MULTIMODAL_CHAT
                : QwenEndpoints.CHAT, built.body());
        if (stream) {
            call.stream(true).header("X-DashScope-SSE", "enable");
        }
        return call;
    }

    private UpstreamCall.Builder nativeCall(QwenEndpoints endpoints, String path, ObjectNode body) {
        try {
            return UpstreamCall.translated("POST", endpoints.nativeUrl(path), mapper.writeValueAsBytes(body),
                    "application/json");
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public TranslatedResponse translateResponse(RelayRequest request, int status, JsonNode body)
            throws UpstreamErrorException {
        // An error answered with a 2xx status, in either shape.
        if (body.path("error").isObject() || !body.has("output") && !body.path("code").asText("").isEmpty()) {
            throw new UpstreamErrorException(QwenErrors.inBand(body));
        }
        // The core does not say which channel made the call: the answer's shape tells the mode.
        boolean nativeAnswer = body.has("output");
        return switch (request.operation()) {
            case CHAT -> nativeAnswer ? NativeChatResponse.translate(body, request.model(), mapper)
                    : CompatibleCalls.response(request, body, mapper);
            case EMBEDDINGS -> nativeAnswer ? Embeddings.fromNative(body, request.model(),
                    Embeddings.wantsBase64(request.body()), mapper) : CompatibleCalls.response(request, body, mapper);
            case RERANK -> Rerank.fromNative(body, request.body(), request.model(), mapper);
            default -> new TranslatedResponse(body, Usage.NONE);
        };
    }

    @Override
    public StreamTranslator newStreamTranslator(RelayRequest request) {
        return new QwenStreamTranslator(mapper, request.model(), request.body().path("n").asInt(1));
    }

    @Override
    public UpstreamError translateError(int status, String contentType, byte[] body) {
        return QwenErrors.translate(status, body, mapper);
    }

    @Override
    public CompletionStage<List<String>> listModels(Channel channel, UpstreamClient client) {
        QwenEndpoints endpoints = QwenEndpoints.of(channel);
        SideCall.Builder call = SideCall.get(endpoints.compatibleBase() + "/models");
        endpoints.headers().forEach(call::header);
        return client.send(call.build()).thenCompose(r -> {
            if (r.status() / 100 != 2) {
                return CompletableFuture.failedFuture(
                        new UpstreamErrorException(translateError(r.status(), r.contentType(), r.body())));
            }
            try {
                List<String> ids = new ArrayList<>();
                for (JsonNode m : mapper.readTree(r.body()).path("data")) {
                    if (m.path("id").isTextual()) {
                        ids.add(m.path("id").textValue());
                    }
                }
                ids.sort(null);
                return CompletableFuture.completedFuture(ids);
            } catch (IOException e) {
                return CompletableFuture.failedFuture(new IOException("the model list is not JSON"));
            }
        });
    }

    private static UpstreamErrorException unsupported(String message) {
        // Not this request's fault: another channel (in compatible mode) may serve it.
        return new UpstreamErrorException(UpstreamError.builder(400, "unsupported_operation", message)
                .retryable(true).build());
    }
}
