package dev.switchboard.plugin.openai;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.api.provider.Channel;
import dev.switchboard.api.provider.ChannelType;
import dev.switchboard.api.provider.ConfigField;
import dev.switchboard.api.provider.Operation;
import dev.switchboard.api.provider.ProviderAdapter;
import dev.switchboard.api.provider.RelayRequest;
import dev.switchboard.api.provider.SideCall;
import dev.switchboard.api.provider.UpstreamCall;
import dev.switchboard.api.provider.UpstreamClient;
import dev.switchboard.api.provider.UpstreamError;
import dev.switchboard.api.provider.UpstreamErrorException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.osgi.service.component.annotations.Component;

/** OpenAI and OpenAI-compatible upstreams: pass-through calls with Bearer auth. */
@Component(service = ProviderAdapter.class)
public final class OpenAiAdapter implements ProviderAdapter {

    static final ChannelType TYPE = ChannelType.builder("openai")
            .name("OpenAI (or any OpenAI-compatible API)")
            .defaultBaseUrl("https://api.openai.com/v1")
            .keyHint("sk-...")
            .configFields(
                    ConfigField.builder("organization", ConfigField.Kind.STRING).label("Organization")
                            .description("Sent as OpenAI-Organization; leave empty for the key's default.").build(),
                    ConfigField.builder("project", ConfigField.Kind.STRING).label("Project")
                            .description("Sent as OpenAI-Project; leave empty for the key's default.").build())
            .operations(Operation.CHAT, Operation.COMPLETIONS, Operation.EMBEDDINGS, Operation.RERANK,
                    Operation.IMAGES, Operation.SPEECH, Operation.TRANSCRIPTION, Operation.TRANSLATION,
                    Operation.MODERATIONS, Operation.MODELS)
            .defaultModels("gpt-4.1", "gpt-4.1-mini", "gpt-4o", "gpt-4o-mini", "o3", "o4-mini",
                    "text-embedding-3-small", "text-embedding-3-large", "gpt-image-1", "tts-1", "whisper-1",
                    "omni-moderation-latest")
            .build();

    // The plugin's own mapper: its caches die with the plugin.
    private final ObjectMapper mapper = new ObjectMapper();

    @Override
    public ChannelType channelType() {
        return TYPE;
    }

    @Override
    public CompletionStage<UpstreamCall> prepare(RelayRequest request, Channel channel, UpstreamClient client) {
        UpstreamCall.Builder call = UpstreamCall.passThrough(channel.baseUrl() + Paths.of(request.operation()))
                .stream(request.stream());
        credentials(channel).forEach(call::header);
        return CompletableFuture.completedFuture(call.build());
    }

    private static java.util.Map<String, String> credentials(Channel channel) {
        java.util.Map<String, String> h = new java.util.LinkedHashMap<>();
        h.put("Authorization", "Bearer " + channel.key());
        String org = channel.config().path("organization").asText("");
        if (!org.isBlank()) {
            h.put("OpenAI-Organization", org);
        }
        String project = channel.config().path("project").asText("");
        if (!project.isBlank()) {
            h.put("OpenAI-Project", project);
        }
        return h;
    }

    @Override
    public UpstreamError translateError(int status, String contentType, byte[] body) {
        return OpenAiErrors.translate("openai", status, body, mapper);
    }

    @Override
    public CompletionStage<List<String>> listModels(Channel channel, UpstreamClient client) {
        SideCall.Builder call = SideCall.get(channel.baseUrl() + "/models");
        credentials(channel).forEach(call::header);
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
}
