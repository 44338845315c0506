package dev.switchboard.dist.accounting;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.dist.Distribution;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** X-Switchboard-Channel pins a channel for admins' tokens only (relay contract). */
class PinningIT extends AccountingFixture {

    private static final String MODEL = "pin-model";

    @Test
    void onlyAnAdminsTokenMayPinAChannel() {
        Distribution.Instance sb = dist.start().awaitHealthy();
        long pinned = channel(sb, "low priority, pinned", MODEL);
        ok(sb.post("/api/channels", ADMIN, obj("name", "high priority", "type", "openai", "key",
                "sk-fake-upstream-key-2", "base_url", upstream.baseUrl(), "models", List.of(MODEL), "priority", 10)),
                201);
        long alice = ok(sb.post("/api/users", ADMIN, obj("username", "alice", "password", "pass-alice-1",
                "role", "user", "unlimited_quota", true)), 201).path("id").asLong();
        long bob = ok(sb.post("/api/users", ADMIN, obj("username", "bob", "password", "pass-bob-1",
                "role", "admin", "unlimited_quota", true)), 201).path("id").asLong();
        Map<String, String> pin = Map.of("X-Switchboard-Channel", Long.toString(pinned));
        Object body = obj("model", MODEL, "messages", List.of(obj("role", "user", "content", "hi")));

        Distribution.Answer refused = sb.post("/v1/chat/completions", token(sb, alice, null).path("key").asText(),
                body, pin);
        assertEquals(403, refused.status(), refused.toString());
        assertEquals("channel_pin_forbidden", refused.json().path("error").path("code").asText());

        JsonNode bobs = token(sb, bob, null);
        Distribution.Answer served = sb.post("/v1/chat/completions", bobs.path("key").asText(), body, pin);
        assertEquals(200, served.status(), served.toString());
        JsonNode logs = settled(() -> get(sb, "/api/logs?token_id=" + bobs.path("id").asLong()),
                n -> n.path("total").asInt() == 1);
        assertEquals(pinned, logs.path("data").get(0).path("channel_id").asLong(),
                "the pinned channel served, not the higher-priority one");
    }
}
