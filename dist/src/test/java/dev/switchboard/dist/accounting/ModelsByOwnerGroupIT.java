package dev.switchboard.dist.accounting;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.dist.Distribution;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** GET /v1/models answers for the group a token's requests are routed in: its owner's, unless it sets one. */
class ModelsByOwnerGroupIT extends AccountingFixture {

    @Test
    void aTokenWithoutGroupSeesTheModelsOfItsOwnersGroup() {
        Distribution.Instance sb = dist.start().awaitHealthy();
        ok(sb.post("/api/channels", ADMIN, obj("name", "vip only", "type", "openai", "key", "sk-fake-upstream-key-3",
                "base_url", upstream.baseUrl(), "models", List.of("vip-model"), "groups", List.of("vip"))), 201);
        channel(sb, "everyone", "common-model");
        long vip = ok(sb.post("/api/users", ADMIN, obj("username", "vera", "password", "pass-vera-1", "role", "user",
                "group", "vip", "unlimited_quota", true)), 201).path("id").asLong();
        long plain = ok(sb.post("/api/users", ADMIN, obj("username", "paul", "password", "pass-paul-1",
                "role", "user", "unlimited_quota", true)), 201).path("id").asLong();

        List<String> vipModels = ids(sb, token(sb, vip, null).path("key").asText());
        List<String> plainModels = ids(sb, token(sb, plain, null).path("key").asText());
        assertEquals(List.of("vip-model"), vipModels, "the owner's group 'vip' serves vip-model only");
        assertTrue(plainModels.contains("common-model") && !plainModels.contains("vip-model"), plainModels.toString());
    }

    private static List<String> ids(Distribution.Instance sb, String key) {
        JsonNode list = ok(sb.get("/v1/models", key), 200);
        List<String> out = new ArrayList<>();
        list.path("data").forEach(m -> out.add(m.path("id").asText()));
        return out;
    }
}
