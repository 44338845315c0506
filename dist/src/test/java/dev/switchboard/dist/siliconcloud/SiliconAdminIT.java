package dev.switchboard.dist.siliconcloud;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.dist.Distribution;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The shipped jar, the channel type as the admin API lists it, and the balance and fetch-models actions. */
class SiliconAdminIT extends SiliconGateway {

    @Test
    void theDistributionShipsThePluginAndListsTheType() {
        assertTrue(Files.isRegularFile(dist.pluginJar("switchboard-plugin-siliconcloud")));
        Distribution.Answer types = sb.get("/api/channel-types", ADMIN);
        assertEquals(200, types.status(), types.toString());
        JsonNode type = null;
        for (JsonNode t : types.json().path("data")) {
            if (t.path("id").asText().equals("siliconcloud")) {
                type = t;
            }
        }
        assertTrue(type != null, "siliconcloud is installed: " + types);
        assertEquals("https://api.siliconflow.cn/v1", type.path("default_base_url").asText());
        assertEquals("dev.switchboard.plugin.siliconcloud", type.path("plugin").path("symbolic_name").asText());
        List<String> ops = new ArrayList<>();
        type.path("operations").forEach(o -> ops.add(o.asText()));
        assertTrue(ops.containsAll(List.of("chat", "embeddings", "rerank", "images", "speech", "transcription",
                "models", "balance")), ops.toString());
        JsonNode region = type.path("config_fields").path(0);
        assertEquals("region", region.path("name").asText(), type.toString());
        assertEquals("[\"cn\",\"intl\"]", region.path("choices").toString());
    }

    @Test
    void theBalanceIsReadAndStoredWithCurrencyAndTime() {
        // A base without a path gets /v1, as operators coming from One API write it.
        String base = fake.baseUrl().substring(0, fake.baseUrl().length() - "/v1".length());
        long id = created("/api/channels", obj("name", "balance", "type", "siliconcloud",
                "key", FakeSiliconFlow.GOOD_KEY, "base_url", base, "models", List.of(FakeSiliconFlow.CHAT)))
                .path("id").asLong();
        long before = Instant.now().getEpochSecond();
        Distribution.Answer b = sb.get("/api/channels/" + id + "/balance", ADMIN);
        assertEquals(200, b.status(), b.toString());
        assertEquals(0, new BigDecimal("12.5").compareTo(b.json().path("balance").decimalValue()), b.toString());
        assertTrue(b.body().contains("\"balance\":12.5"), "a plain number: " + b.body());
        assertEquals("CNY", b.json().path("balance_currency").asText());
        long at = b.json().path("balance_updated_at").asLong();
        assertTrue(at >= before - 1 && at <= Instant.now().getEpochSecond() + 1, b.toString());
        assertEquals("/v1/user/info", fake.last("/v1/user/info").path());

        JsonNode stored = sb.get("/api/channels/" + id, ADMIN).json();
        assertEquals(0, new BigDecimal("12.5").compareTo(stored.path("balance").decimalValue()), stored.toString());
        assertEquals("CNY", stored.path("balance_currency").asText());
        assertEquals(at, stored.path("balance_updated_at").asLong());
    }

    @Test
    void aCustomBaseWinsOverTheRegion() {
        long id = created("/api/channels", obj("name", "intl but custom", "type", "siliconcloud",
                "key", FakeSiliconFlow.GOOD_KEY, "base_url", fake.baseUrl(), "models", List.of("x"),
                "config", Map.of("region", "intl"))).path("id").asLong();
        Distribution.Answer b = sb.get("/api/channels/" + id + "/balance", ADMIN);
        assertEquals(200, b.status(), b.toString());
        assertEquals("CNY", b.json().path("balance_currency").asText(), "a non-siliconflow.com host is the China site");
    }

    @Test
    void aRejectedKeyFailsTheBalanceWithTheVendorsMessage() {
        long id = channel("balance bad key", "sk-not-a-real-key-0123456789", "y");
        Distribution.Answer b = sb.get("/api/channels/" + id + "/balance", ADMIN);
        assertEquals(502, b.status(), b.toString());
        assertTrue(b.json().path("error").path("message").asText().contains("Api key is invalid"), b.toString());
    }

    @Test
    void theTestActionChatsThroughTheChannel() {
        long id = channel("tested", FakeSiliconFlow.GOOD_KEY, FakeSiliconFlow.CHAT);
        Distribution.Answer t = sb.post("/api/channels/" + id + "/test", ADMIN, "{}");
        assertEquals(200, t.status(), t.toString());
        assertTrue(t.json().path("success").asBoolean(), t.toString());
        assertEquals(FakeSiliconFlow.CHAT, fake.last("/v1/chat/completions").json().path("model").asText());
    }

    @Test
    void fetchModelsListsTheUpstreamModels() {
        long id = channel("fetch models", FakeSiliconFlow.GOOD_KEY, "z");
        Distribution.Answer m = sb.post("/api/channels/" + id + "/fetch-models", ADMIN, "{}");
        assertEquals(200, m.status(), m.toString());
        List<String> ids = new ArrayList<>();
        m.json().path("data").forEach(x -> ids.add(x.asText()));
        List<String> sorted = new ArrayList<>(ids);
        sorted.sort(null);
        assertEquals(sorted, ids, "sorted");
        assertTrue(ids.containsAll(List.of(FakeSiliconFlow.CHAT, FakeSiliconFlow.REASONING, FakeSiliconFlow.RERANK,
                FakeSiliconFlow.EMBEDDING, "Pro/deepseek-ai/DeepSeek-R1")), ids.toString());
        assertEquals(ids.size(), m.json().path("total").asInt());
        assertEquals("GET", fake.last("/v1/models").method());
    }
}
