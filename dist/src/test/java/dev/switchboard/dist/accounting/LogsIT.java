package dev.switchboard.dist.accounting;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.dist.Distribution;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Logs and statistics end to end: queries, aggregates, retention, admin actions, and who may read what. */
@Timeout(180)
class LogsIT extends AccountingFixture {

    @Test
    void logQueriesFiltersPagesAndAggregates() {
        Distribution.Instance sb = dist.start().awaitHealthy();
        long a = channel(sb, "a", "e2e-model");
        long b = channel(sb, "b", "other-model", "fail-model");
        priceOnePerToken(sb, "e2e-model");
        priceOnePerToken(sb, "other-model");
        long u = user(sb, "lena", 1_000_000);
        JsonNode t1 = token(sb, u, null);
        JsonNode t2 = token(sb, u, null);
        long from = System.currentTimeMillis() / 1000;
        for (int i = 0; i < 3; i++) {
            assertEquals(200, chat(sb, t1.path("key").asText(), "e2e-model", i == 0).status());
        }
        assertEquals(200, chat(sb, t2.path("key").asText(), "other-model", false).status());
        assertEquals(502, chat(sb, t2.path("key").asText(), "fail-model", false).status());
        JsonNode all = settled(() -> get(sb, "/api/logs?type=relay"), n -> n.path("total").asInt() == 5);
        assertEquals(5, all.path("total").asInt(), all.toString());
        JsonNode newest = all.path("data").get(0);
        assertEquals("fail-model", newest.path("model").asText(), "newest first");
        for (String field : List.of("id", "created_at", "user_id", "token_id", "token_name", "channel_id", "model",
                "upstream_model", "is_stream", "prompt_tokens", "completion_tokens", "cost", "first_byte_ms",
                "total_ms", "status", "error", "attempts", "client_ip", "request_id")) {
            assertTrue(newest.has(field), field + " in " + newest);
        }
        String text = all.toString();
        assertFalse(text.contains("\"hi\""), "never the prompt");
        assertFalse(text.contains("Hello world"), "never the answer");
        assertFalse(text.contains("sk-fake-upstream-key"), "never a key");
        assertFalse(text.contains(t1.path("key").asText()), "never the token's key");

        assertEquals(3, get(sb, "/api/logs?model=e2e-model").path("total").asInt());
        assertEquals(3, get(sb, "/api/logs?token_id=" + t1.path("id").asLong()).path("total").asInt());
        assertEquals(2, get(sb, "/api/logs?channel_id=" + b).path("total").asInt());
        assertEquals(1, get(sb, "/api/logs?status=error&type=relay").path("total").asInt());
        assertEquals(1, get(sb, "/api/logs?status=502").path("total").asInt());
        assertEquals(5, get(sb, "/api/logs?type=relay&from=" + from + "&to=" + (from + 3600)).path("total").asInt());
        assertEquals(0, get(sb, "/api/logs?type=relay&to=" + (from - 1)).path("total").asInt());
        Set<Long> ids = new HashSet<>();
        for (int page = 1; page <= 3; page++) {
            JsonNode p = get(sb, "/api/logs?type=relay&per_page=2&page=" + page);
            assertEquals(5, p.path("total").asInt());
            p.path("data").forEach(e -> ids.add(e.path("id").asLong()));
        }
        assertEquals(5, ids.size(), "three pages of two hold the five entries once each");

        JsonNode byModel = get(sb, "/api/stats?group_by=model").path("data");
        Map<String, JsonNode> models = new java.util.HashMap<>();
        byModel.forEach(n -> models.put(n.path("key").asText(), n));
        assertEquals(3, models.get("e2e-model").path("requests").asInt());
        assertEquals(90, models.get("e2e-model").path("cost").asLong());
        assertEquals(30, models.get("e2e-model").path("prompt_tokens").asLong());
        assertEquals(60, models.get("e2e-model").path("completion_tokens").asLong());
        assertEquals(1, models.get("fail-model").path("errors").asInt());
        assertEquals(0, models.get("fail-model").path("cost").asLong());
        JsonNode byChannel = get(sb, "/api/stats?group_by=channel").path("data");
        assertEquals(2, byChannel.size(), byChannel.toString());
        assertEquals(String.valueOf(a), byChannel.get(0).path("key").asText());
        JsonNode byDay = get(sb, "/api/stats?group_by=day").path("data");
        assertEquals(1, byDay.size());
        assertEquals(5, byDay.get(0).path("requests").asInt());
        assertEquals(120, byDay.get(0).path("cost").asLong());
        JsonNode byHour = get(sb, "/api/stats?group_by=hour").path("data");
        long hourly = 0;
        for (JsonNode h : byHour) {
            long start = h.path("key").asLong();
            assertEquals(0, start % 3600, "an hour's key is its start in unix seconds: " + byHour);
            assertTrue(start > from - 3600 && start <= System.currentTimeMillis() / 1000, byHour.toString());
            hourly += h.path("requests").asLong();
        }
        assertEquals(5, hourly, "the hours hold the five requests: " + byHour);
        JsonNode byToken = get(sb, "/api/stats?group_by=token&model=e2e-model").path("data");
        assertEquals(1, byToken.size());
        assertEquals(t1.path("id").asText(), byToken.get(0).path("key").asText());
        assertEquals(90, get(sb, "/api/channels/" + a).path("used_quota").asLong(), "the channel's spend");
    }

    @Test
    void aUserReadsOnlyTheirOwnLogsAndNoChannel() throws Exception {
        Distribution.Instance sb = dist.start().awaitHealthy();
        channel(sb, "a", "e2e-model");
        priceOnePerToken(sb, "e2e-model");
        long alice = user(sb, "alice", 1_000_000);
        long bob = user(sb, "bob", 1_000_000);
        assertEquals(200, chat(sb, token(sb, alice, null).path("key").asText(), "e2e-model", false).status());
        assertEquals(200, chat(sb, token(sb, bob, null).path("key").asText(), "e2e-model", false).status());
        settled(() -> get(sb, "/api/logs?type=relay"), n -> n.path("total").asInt() == 2);
        String pat = ok(sb.post("/api/users/" + alice + "/access-token", ADMIN, "{}"), 201).path("access_token")
                .asText();
        JsonNode own = ok(sb.get("/api/logs?type=relay", pat), 200);
        assertEquals(1, own.path("total").asInt(), own.toString());
        assertEquals(alice, own.path("data").get(0).path("user_id").asLong());
        assertEquals(403, sb.get("/api/logs?user_id=" + bob, pat).status());
        JsonNode stats = ok(sb.get("/api/stats?group_by=user", pat), 200).path("data");
        assertEquals(1, stats.size());
        assertEquals(String.valueOf(alice), stats.get(0).path("key").asText());
        assertEquals(403, sb.get("/api/channels", pat).status());
        assertEquals(403, sb.get("/api/channels/1", pat).status());
        assertEquals(403, sb.get("/api/users", pat).status());
        assertEquals(403, sb.get("/api/settings", pat).status());
        assertEquals(403, sb.get("/api/backup", pat).status());
        assertEquals(1, ok(sb.get("/api/tokens", pat), 200).path("total").asInt());

        // The console: a login cookie, reads without and changes with the CSRF header and this origin.
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        HttpResponse<String> login = http.send(HttpRequest.newBuilder(sb.uri("/api/auth/login"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"username\":\"alice\",\"password\":\"pass-alice-1\"}"))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, login.statusCode(), login.body());
        String cookies = String.join("; ", login.headers().allValues("Set-Cookie").stream()
                .map(c -> c.substring(0, c.indexOf(';'))).toList());
        String csrf = JSON.readTree(login.body()).path("csrf_token").asText();
        HttpResponse<String> logs = http.send(HttpRequest.newBuilder(sb.uri("/api/logs?type=relay"))
                .header("Cookie", cookies).GET().build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(1, JSON.readTree(logs.body()).path("total").asInt(), logs.body());
        String origin = "http://127.0.0.1:" + sb.port();
        HttpResponse<String> noCsrf = http.send(HttpRequest.newBuilder(sb.uri("/api/tokens")).header("Cookie", cookies)
                .header("Origin", origin).POST(HttpRequest.BodyPublishers.ofString("{}")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(403, noCsrf.statusCode(), noCsrf.body());
        HttpResponse<String> withCsrf = http.send(HttpRequest.newBuilder(sb.uri("/api/tokens"))
                .header("Cookie", cookies).header("Origin", origin).header("X-CSRF-Token", csrf)
                .POST(HttpRequest.BodyPublishers.ofString("{}")).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(201, withCsrf.statusCode(), withCsrf.body());
        assertEquals(alice, JSON.readTree(withCsrf.body()).path("user_id").asLong());
    }

    static final com.fasterxml.jackson.databind.ObjectMapper JSON = new com.fasterxml.jackson.databind.ObjectMapper();

    @Test
    void retentionRemovesOldEntriesAndAdminActionsAreLoggedWithWhoDidThem() {
        dist.env("SWITCHBOARD_LOGS_RETENTION_CHECK", "500ms");
        Distribution.Instance sb = dist.start().awaitHealthy();
        channel(sb, "a", "e2e-model");
        priceOnePerToken(sb, "e2e-model");
        String key = token(sb, 1, null).path("key").asText();
        for (int i = 0; i < 3; i++) {
            assertEquals(200, chat(sb, key, "e2e-model", false).status());
        }
        JsonNode admin = settled(() -> get(sb, "/api/logs?type=admin"), n -> n.path("total").asInt() >= 3);
        JsonNode created = admin.path("data").get(admin.path("data").size() - 1);
        assertEquals("POST /api/channels", created.path("action").asText(), admin.toString());
        assertEquals(1, created.path("user_id").asLong(), "done with the admin token: root");
        assertNotNull(created.path("request_id").asText(null));
        assertEquals(3, settled(() -> get(sb, "/api/logs?type=relay"), n -> n.path("total").asInt() == 3)
                .path("total").asInt());
        assertEquals(30, get(sb, "/api/settings").path("logs.retention_days").asInt(), "the default");
        // Keep entries about 2 seconds: the job (every 500 ms here) then removes them.
        ok(sb.put("/api/settings", ADMIN, obj("logs.retention_days", 0.00002)), 200);
        JsonNode left = settled(() -> get(sb, "/api/logs"), n -> n.path("total").asInt() == 0);
        assertEquals(0, left.path("total").asInt(), "every entry is older than the retention: " + left);
        ok(sb.put("/api/settings", ADMIN, obj("logs.retention_days", 30)), 200);
        assertEquals(200, chat(sb, key, "e2e-model", false).status());
        assertEquals(2, settled(() -> get(sb, "/api/logs"), n -> n.path("total").asInt() == 2).path("total").asInt(),
                "the new request and the settings change are kept");
        JsonNode purged = ok(sb.delete("/api/logs?before=" + (System.currentTimeMillis() / 1000 + 10), ADMIN), 200);
        assertEquals(2, purged.path("removed").asInt(), "a manual purge of everything before a time");
    }

    @Test
    void aFirstStartWithoutRootPasswordPrintsOneThatLogsIn() throws Exception {
        dist.env("SWITCHBOARD_ROOT_PASSWORD", null);
        Distribution.Instance sb = dist.start().awaitHealthy();
        String password = sb.awaitStdout(java.util.regex.Pattern.compile("root password:\\s+(\\S+)"),
                Duration.ofSeconds(5)).group(1);
        HttpResponse<String> login = HttpClient.newHttpClient().send(HttpRequest.newBuilder(sb.uri("/api/auth/login"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(
                        "{\"username\":\"root\",\"password\":\"" + password + "\"}")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, login.statusCode(), login.body());
        assertEquals("root", JSON.readTree(login.body()).path("role").asText());
        sb.terminate();
        assertEquals(0, sb.awaitExit(Duration.ofSeconds(30)));
        Distribution.Instance again = dist.start().awaitHealthy();
        assertFalse(again.stdout().contains("root password:"), "shown only once");
        URI unused = again.uri("/");
        assertNotNull(unused);
    }
}
