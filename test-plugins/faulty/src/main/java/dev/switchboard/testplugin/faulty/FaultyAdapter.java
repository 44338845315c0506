package dev.switchboard.testplugin.faulty;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.api.provider.Channel;
import dev.switchboard.api.provider.ChannelType;
import dev.switchboard.api.provider.ConfigField;
import dev.switchboard.api.provider.Operation;
import dev.switchboard.api.provider.ProviderAdapter;
import dev.switchboard.api.provider.RelayRequest;
import dev.switchboard.api.provider.StreamTranslator;
import dev.switchboard.api.provider.TranslatedResponse;
import dev.switchboard.api.provider.UpstreamCall;
import dev.switchboard.api.provider.UpstreamClient;
import dev.switchboard.api.provider.UpstreamError;
import dev.switchboard.api.provider.Usage;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;

/**
 * Channel type {@code faulty}. The model name picks the failure: {@code throw-prepare},
 * {@code linkage-prepare} (a {@link NoClassDefFoundError}, as from a half-gone bundle), {@code never-prepare} (a
 * stage never completed), {@code throw-response}, {@code throw-translator} (from {@code newStreamTranslator}),
 * {@code throw-stream} (from {@code onEvent}, after the first chunk), {@code throw-error} (from
 * {@code translateError}); {@code block-prepare} and {@code block-stream} work but first hold the calling thread
 * for {@value #BLOCK_MILLIS} ms (in {@code prepare}, in {@code onEvent} of the first event), as a plugin that blocks
 * would; any other model works. Config {@code mode=throw} makes {@code validateConfig} throw.
 */
@Component(service = ProviderAdapter.class)
public final class FaultyAdapter implements ProviderAdapter {

    static final ChannelType TYPE = ChannelType.builder("faulty").name("Faulty (test)")
            .defaultBaseUrl("http://127.0.0.1:9/v1").keyHint("any")
            .configFields(ConfigField.builder("mode", ConfigField.Kind.STRING).label("Mode").build())
            .operations(Operation.CHAT, Operation.MODELS).defaultModels("ok").build();

    static final long BLOCK_MILLIS = 100;

    private final ObjectMapper mapper = new ObjectMapper();
    private String version = "unknown";

    @Activate
    void activate(BundleContext context) {
        version = context.getBundle().getSymbolicName() + " " + context.getBundle().getVersion();
    }

    @Override
    public ChannelType channelType() {
        return TYPE;
    }

    @Override
    public List<String> validateConfig(JsonNode config) {
        if ("throw".equals(config.path("mode").asText())) {
            throw new IllegalStateException("validateConfig fails on purpose");
        }
        return List.of();
    }

    @Override
    public CompletionStage<UpstreamCall> prepare(RelayRequest request, Channel channel, UpstreamClient client) {
        switch (request.model()) {
            case "throw-prepare" -> throw new IllegalStateException("prepare fails on purpose: " + channel.key());
            case "linkage-prepare" -> throw new NoClassDefFoundError("dev/switchboard/testplugin/faulty/Gone");
            case "never-prepare" -> {
                return new CompletableFuture<>();
            }
            default -> {
                if (request.model().equals("block-prepare")) {
                    block();
                }
                ObjectNode body = request.body().deepCopy();
                body.put("model", request.upstreamModel());
                return CompletableFuture.completedFuture(UpstreamCall.translated("POST",
                        channel.baseUrl() + "/chat/completions", bytes(body), "application/json")
                        .header("Authorization", "Bearer " + channel.key()).stream(request.stream()).build());
            }
        }
    }

    @Override
    public TranslatedResponse translateResponse(RelayRequest request, int status, JsonNode body) {
        if (request.model().equals("throw-response")) {
            throw new NullPointerException("translateResponse fails on purpose");
        }
        ObjectNode out = body.deepCopy();
        out.put("system_fingerprint", version);
        JsonNode u = body.path("usage");
        return new TranslatedResponse(out, Usage.of(u.path("prompt_tokens").asLong(),
                u.path("completion_tokens").asLong()));
    }

    @Override
    public StreamTranslator newStreamTranslator(RelayRequest request) {
        if (request.model().equals("throw-translator")) {
            throw new UnsupportedOperationException("newStreamTranslator fails on purpose");
        }
        return new FaultyStream(mapper, version, request.model().equals("throw-stream"),
                request.model().equals("block-stream"));
    }

    @Override
    public UpstreamError translateError(int status, String contentType, byte[] body) {
        String text = new String(body, java.nio.charset.StandardCharsets.UTF_8);
        if (text.contains("throw-error")) {
            throw new LinkageError("translateError fails on purpose");
        }
        return UpstreamError.builder(status, "upstream_error", "[faulty] status " + status)
                .retryable(status >= 500).build();
    }

    @Override
    public CompletionStage<List<String>> listModels(Channel channel, UpstreamClient client) {
        throw new IllegalStateException("listModels fails on purpose");
    }

    /** Holds the thread as a blocking lookup would: what the core must notice, not prevent. */
    static void block() {
        try {
            Thread.sleep(BLOCK_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private byte[] bytes(JsonNode node) {
        try {
            return mapper.writeValueAsBytes(node);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
