package dev.switchboard.core.relay;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.core.json.Json;
import dev.switchboard.core.routing.ChannelRouter;
import dev.switchboard.core.store.TokenRecord;
import java.util.List;

/**
 * {@code GET /v1/models} and {@code GET /v1/models/{id}}: what the caller's token may use. The list holds the exact
 * names the group's channels list, or, for a token limited to some models, those of them some channel serves
 * (exactly or by a pattern such as {@code qwen-*}); patterns themselves add no name. A single model answers
 * when some channel serves it, pattern or not.
 */
final class ModelsEndpoint {

    private static final long CREATED = 1_700_000_000L;

    private final ChannelRouter router;
    private final Admission admission;

    ModelsEndpoint(ChannelRouter router, Admission admission) {
        this.router = router;
        this.admission = admission;
    }

    ObjectNode list(TokenRecord token) {
        ObjectNode root = Json.object();
        root.put("object", "list");
        ArrayNode data = root.putArray("data");
        visible(token).forEach(m -> data.add(model(m)));
        return root;
    }

    ObjectNode one(TokenRecord token, String id) {
        if ((!token.models().isEmpty() && !token.models().contains(id))
                || !router.serves(admission.groupOf(token), id)) {
            throw RelayError.of(404, "model_not_found", "The model '" + id + "' does not exist or you do not "
                    + "have access to it (no available channel for model " + id + ")");
        }
        return model(id);
    }

    private List<String> visible(TokenRecord token) {
        // The group requests of this token are routed in (the owner's when the token sets none).
        String group = admission.groupOf(token);
        if (token.models().isEmpty()) {
            return router.models(group);
        }
        return token.models().stream().filter(m -> router.serves(group, m)).sorted().toList();
    }

    private static ObjectNode model(String id) {
        ObjectNode m = Json.object();
        m.put("id", id);
        m.put("object", "model");
        m.put("created", CREATED);
        m.put("owned_by", "switchboard");
        return m;
    }
}
