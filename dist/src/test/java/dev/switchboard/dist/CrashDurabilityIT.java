package dev.switchboard.dist;

import static dev.switchboard.dist.Distribution.obj;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Configuration changes commit before the API answers: a SIGKILL right after the answer loses nothing. */
@Timeout(90)
class CrashDurabilityIT {

    private static final String TOKEN = "e2e-durability-admin-token";

    @TempDir
    Path tmp;

    private Distribution dist;

    @BeforeEach
    void copy() {
        dist = Distribution.copyTo(tmp.resolve("switchboard")).env("SWITCHBOARD_ADMIN_TOKEN", TOKEN);
    }

    @AfterEach
    void stop() {
        dist.close();
    }

    @Test
    void channelsAndTokensSurviveKillDashNine() {
        Distribution.Instance sb = dist.start().awaitHealthy();

        List<JsonNode> channels = new ArrayList<>();
        channels.add(created(sb, "/api/channels", obj("name", "primary", "type", "openai",
                "key", "sk-e2e-primary-0123456789", "base_url", "http://127.0.0.1:9/v1",
                "models", List.of("gpt-4o", "gpt-4o-mini"), "model_mapping", Map.of("gpt-4o", "gpt-4o-2024-11-20"),
                "groups", List.of("default", "vip"), "priority", 5, "weight", 3,
                "config", Map.of("organization", "org-e2e"))));
        channels.add(created(sb, "/api/channels", obj("name", "prepared", "type", "qianfan",
                "key", "AK-e2e|SK-e2e", "models", List.of("ernie-4.0-8k"), "status", "disabled",
                "config", Map.of("api_version", "v2", "appid", "app-1"))));
        JsonNode changed = updated(sb, channels.get(0).path("id").asLong(), obj("weight", 7, "models",
                List.of("gpt-4o", "gpt-4o-mini", "o3")));
        channels.set(0, changed);
        JsonNode token = created(sb, "/api/tokens", obj("name", "e2e client", "unlimited_quota", false,
                "remain_quota", 2_500_000, "models", List.of("gpt-4o-mini"), "expires_at", 4_102_444_800L));
        // And the last change immediately followed by SIGKILL.
        channels.add(created(sb, "/api/channels", obj("name", "last before the crash", "type", "openai",
                "key", "sk-e2e-last-0123456789", "models", List.of("gpt-4.1"))));
        sb.kill();
        assertNotEquals(0, sb.process().exitValue(), "killed, not stopped");

        Distribution.Instance again = dist.start().awaitHealthy();
        Distribution.Answer list = again.get("/api/channels", TOKEN);
        assertEquals(200, list.status(), list + again.output());
        assertEquals(channels.size(), list.json().path("total").asInt(), list.toString());
        for (JsonNode before : channels) {
            Distribution.Answer after = again.get("/api/channels/" + before.path("id").asLong(), TOKEN);
            assertEquals(200, after.status(), after.toString());
            assertEquals(before, after.json(), "channel " + before.path("name").asText() + " came back as it was");
        }

        ObjectNode expected = token.deepCopy();
        expected.remove("key");
        Distribution.Answer t = again.get("/api/tokens/" + token.path("id").asLong(), TOKEN);
        assertEquals(200, t.status(), t.toString());
        assertEquals(expected, t.json(), "the token came back as it was");
        assertEquals(1, again.get("/api/tokens", TOKEN).json().path("total").asInt());
        // TODO(relay e2e): once /v1/ serves, assert the token's key still authenticates a relay call here.
    }

    private static JsonNode created(Distribution.Instance sb, String path, Object body) {
        Distribution.Answer a = sb.post(path, TOKEN, body);
        assertEquals(201, a.status(), a.toString());
        assertTrue(a.json().path("id").asLong() > 0, a.toString());
        assertFalse(a.json().has("key") && path.equals("/api/channels"), "a channel answer never shows the key");
        return a.json();
    }

    private static JsonNode updated(Distribution.Instance sb, long id, Object body) {
        Distribution.Answer a = sb.put("/api/channels/" + id, TOKEN, body);
        assertEquals(200, a.status(), a.toString());
        return a.json();
    }
}
