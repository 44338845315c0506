package dev.switchboard.plugin.siliconcloud;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.api.provider.Channel;
import dev.switchboard.api.provider.SideCall;
import dev.switchboard.api.provider.UpstreamClient;
import dev.switchboard.api.provider.UpstreamErrorException;
import java.io.IOException;
import java.util.List;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * The account's models from {@code GET /models} ({@code {object:"list", data:[{id, object:"model", created,
 * owned_by}]}}), for the admin "fetch models" action: every id, sorted, each once.
 */
final class ModelList {

    private final ObjectMapper mapper;

    ModelList(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    CompletionStage<List<String>> read(Channel channel, UpstreamClient client) {
        SideCall call = SideCall.get(SiliconCloudType.baseUrl(channel) + "/models")
                .header("Authorization", SiliconCloudType.authorization(channel)).build();
        return client.send(call).thenCompose(r -> {
            if (r.status() / 100 != 2) {
                return CompletableFuture.failedFuture(
                        new UpstreamErrorException(SiliconFlowErrors.translate(r.status(), r.body(), mapper)));
            }
            try {
                return CompletableFuture.completedFuture(ids(mapper.readTree(r.body())));
            } catch (IOException e) {
                return CompletableFuture.failedFuture(new IOException("the model list is not JSON"));
            }
        });
    }

    static List<String> ids(JsonNode list) {
        TreeSet<String> ids = new TreeSet<>();
        for (JsonNode m : list.path("data")) {
            if (m.path("id").isTextual() && !m.get("id").textValue().isBlank()) {
                ids.add(m.get("id").textValue());
            }
        }
        return List.copyOf(ids);
    }
}
