package dev.switchboard.dist.siliconcloud;

import static dev.switchboard.dist.siliconcloud.FakeSiliconFlow.GOOD_KEY;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.dist.Distribution;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * SiliconFlow's error classes as clients see them when no other channel is left: status, code, type,
 * {@code vendor_code} and {@code channel_id}; and, once the core fails over, what each verdict does to routing.
 */
class SiliconErrorsIT extends SiliconGateway {

    private JsonNode failedChat(long channel, String model, boolean stream, int status) {
        Distribution.Answer a = relay("/v1/chat/completions", obj("model", model, "messages", userSays("Hi"),
                "stream", stream));
        assertEquals(status, a.status(), a.toString());
        assertTrue(a.headers().get("content-type").get(0).startsWith("application/json"), a.headers().toString());
        JsonNode e = a.json().path("error");
        assertEquals(channel, e.path("channel_id").asLong(), a.toString());
        assertTrue(e.path("message").asText().startsWith("[siliconcloud"), a.toString());
        return e;
    }

    @Test
    void aKeyRejectedWithABareStringIsA502UpstreamError() {
        long id = channel("bad key", "sk-wrong-0123456789abcdef", "err/bad-key");
        JsonNode e = failedChat(id, "err/bad-key", false, 502);
        assertEquals("upstream_error", e.path("code").asText());
        assertEquals("upstream_error", e.path("type").asText());
        assertFalse(e.hasNonNull("vendor_code"), "a bare string has no code: " + e);
        assertEquals("[siliconcloud] Api key is invalid", e.path("message").asText());
    }

    @Test
    void aKeyRejectedWithAnErrorObjectIsA502UpstreamError() {
        long id = channel("revoked key", FakeSiliconFlow.REVOKED_KEY, "err/revoked-key");
        JsonNode e = failedChat(id, "err/revoked-key", true, 502);
        assertEquals("upstream_error", e.path("code").asText());
        assertEquals("invalid_api_key", e.path("vendor_code").asText());
    }

    @Test
    void anEmptyBalanceIsA502WithCode30001() {
        long id = channel("no balance", FakeSiliconFlow.BROKE_KEY, "err/broke");
        JsonNode e = failedChat(id, "err/broke", false, 502);
        assertEquals("upstream_error", e.path("code").asText());
        assertEquals("30001", e.path("vendor_code").asText());
        assertTrue(e.path("vendor_code").isTextual(), "a string: " + e);
        assertEquals("[siliconcloud 30001] Sorry, your account balance is insufficient", e.path("message").asText());

        long old = channel("no balance, older answer", FakeSiliconFlow.BROKE_OLD_KEY, "err/broke-old");
        JsonNode older = failedChat(old, "err/broke-old", false, 502);
        assertEquals("30001", older.path("vendor_code").asText());
    }

    @Test
    void aDisabledModelIs404ModelNotFound() {
        long id = channel("disabled model", GOOD_KEY, FakeSiliconFlow.MODEL_DISABLED);
        JsonNode e = failedChat(id, FakeSiliconFlow.MODEL_DISABLED, false, 404);
        assertEquals("model_not_found", e.path("code").asText());
        assertEquals("invalid_request_error", e.path("type").asText());
        assertEquals("30003", e.path("vendor_code").asText());
    }

    @Test
    void aMissingModelIs404ModelNotFound() {
        long id = channel("missing model", GOOD_KEY, FakeSiliconFlow.MODEL_MISSING);
        JsonNode e = failedChat(id, FakeSiliconFlow.MODEL_MISSING, true, 404);
        assertEquals("model_not_found", e.path("code").asText());
        assertEquals("20012", e.path("vendor_code").asText());
    }

    @Test
    void aBusySystemIs429UpstreamRateLimitedEvenWhenItSays503() {
        long id = channel("busy", GOOD_KEY, FakeSiliconFlow.MODEL_BUSY, FakeSiliconFlow.MODEL_RATE_LIMITED);
        for (String model : List.of(FakeSiliconFlow.MODEL_BUSY, FakeSiliconFlow.MODEL_RATE_LIMITED)) {
            JsonNode e = failedChat(id, model, true, 429);
            assertEquals("upstream_rate_limited", e.path("code").asText(), e.toString());
            assertEquals("rate_limit_exceeded", e.path("type").asText(), e.toString());
            assertEquals("50603", e.path("vendor_code").asText(), e.toString());
        }
    }

    @Test
    void translatedCallsGetTheSameVerdicts() {
        long id = created("/api/channels", obj("name", "mapped", "type", "siliconcloud", "key", GOOD_KEY,
                "base_url", fake.baseUrl(), "models", List.of("rerank-gone"),
                "model_mapping", Map.of("rerank-gone", FakeSiliconFlow.MODEL_DISABLED))).path("id").asLong();
        Distribution.Answer a = relay("/v1/rerank", obj("model", "rerank-gone", "query", "q",
                "documents", List.of("a", "b")));
        assertEquals(404, a.status(), a.toString());
        assertEquals("model_not_found", a.json().path("error").path("code").asText());
        assertEquals("30003", a.json().path("error").path("vendor_code").asText());
        assertEquals(id, a.json().path("error").path("channel_id").asLong());
        assertEquals(FakeSiliconFlow.MODEL_DISABLED, fake.last("/v1/rerank").json().path("model").asText(),
                "the mapped name went upstream");
    }

    // --- verdicts the core's failover acts on ----------------------------------------------------------------

    @Test
    void aRejectedKeyDisablesTheChannelAndAnotherServes() {
        long bad = created("/api/channels", obj("name", "failover bad key", "type", "siliconcloud",
                "key", "sk-wrong-failover-0123456789", "base_url", fake.baseUrl(),
                "models", List.of("failover-key"), "model_mapping", Map.of("failover-key", FakeSiliconFlow.CHAT),
                "priority", 10)).path("id").asLong();
        long good = created("/api/channels", obj("name", "failover good", "type", "siliconcloud", "key", GOOD_KEY,
                "base_url", fake.baseUrl(), "models", List.of("failover-key"),
                "model_mapping", Map.of("failover-key", FakeSiliconFlow.CHAT))).path("id").asLong();
        Distribution.Answer a = relay("/v1/chat/completions", obj("model", "failover-key", "messages",
                userSays("Hi")));
        assertEquals(200, a.status(), a.toString());
        assertEquals(good, logged(requestLog(requestId(a)), "channel"));
        JsonNode disabled = sb.get("/api/channels/" + bad, ADMIN).json();
        assertEquals("auto_disabled", disabled.path("status").asText(), disabled.toString());
        assertTrue(disabled.path("status_reason").asText().contains("Api key is invalid"), disabled.toString());
    }

    @Test
    void aMissingOrBusyModelTriesAnotherChannelAndKeepsThisOneEnabled() {
        for (String upstream : List.of(FakeSiliconFlow.MODEL_MISSING, FakeSiliconFlow.MODEL_DISABLED,
                FakeSiliconFlow.MODEL_BUSY)) {
            String model = "failover-" + upstream.substring(upstream.indexOf('/') + 1);
            long first = created("/api/channels", obj("name", "first " + upstream, "type", "siliconcloud",
                    "key", GOOD_KEY, "base_url", fake.baseUrl(), "models", List.of(model),
                    "model_mapping", Map.of(model, upstream), "priority", 10)).path("id").asLong();
            long second = created("/api/channels", obj("name", "second " + upstream, "type", "siliconcloud",
                    "key", GOOD_KEY, "base_url", fake.baseUrl(), "models", List.of(model),
                    "model_mapping", Map.of(model, FakeSiliconFlow.CHAT))).path("id").asLong();
            Distribution.Answer a = relay("/v1/chat/completions", obj("model", model, "messages", userSays("Hi")));
            assertEquals(200, a.status(), upstream + ": " + a);
            assertEquals(second, logged(requestLog(requestId(a)), "channel"));
            assertEquals("enabled", sb.get("/api/channels/" + first, ADMIN).json().path("status").asText());
        }
    }
}
