package dev.switchboard.dist.accounting;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.dist.Distribution;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Iterator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * {@code GET /metrics} on the distribution: after real requests through the relay (a plain answer, a stream, an
 * upstream failure, a wrong key), a scrape shows them per channel, model and status, with tokens, cost and the
 * JVM; a stream in flight shows in the open-streams gauge until it ends; with {@code metrics.auth = admin} only
 * the admin token may read it; with {@code metrics.enabled = false} it answers 404.
 */
class MetricsIT extends AccountingFixture {

    @Test
    void aScrapeShowsTheRequestsJustMade() {
        Distribution.Instance sb = dist.start().awaitHealthy();
        long ch = channel(sb, "main", "e2e-model", "fail-model");
        priceOnePerToken(sb, "e2e-model");
        String key = token(sb, user(sb, "mia", 1_000_000), null).path("key").asText();
        assertEquals(200, chat(sb, key, "e2e-model", false).status());
        assertEquals(200, chat(sb, key, "e2e-model", true).status());
        assertEquals(502, chat(sb, key, "fail-model", false).status());
        assertEquals(401, chat(sb, key + "x", "e2e-model", false).status());

        String ok = "switchboard_requests_total{channel=\"" + ch + "\",model=\"e2e-model\",status=\"200\"} 2.0";
        // The usage thread records each settled entry's metrics one after the other: wait for the last one's last.
        String failedAttempt = "switchboard_upstream_attempts_total{channel=\"" + ch + "\",status=\"500\"}";
        String text = settled(() -> sb.get("/metrics", null).body(), t -> t.contains(ok) && t.contains(failedAttempt));
        assertTrue(text.contains(ok), text);
        assertTrue(text.contains("switchboard_request_errors_total{channel=\"" + ch
                + "\",model=\"fail-model\",status=\"502\"} 1.0"), text);
        assertTrue(text.contains(failedAttempt), text);
        assertTrue(text.contains("switchboard_request_errors_total{channel=\"0\",model=\"none\",status=\"401\"} 1.0"),
                "a wrong key is counted, though it gets no log entry: " + text);
        assertTrue(text.contains("switchboard_tokens_total{channel=\"" + ch + "\",kind=\"completion\","
                + "model=\"e2e-model\"} " + (2.0 * FakeOpenAi.COMPLETION)), text);
        assertTrue(text.contains("switchboard_cost_total{channel=\"" + ch + "\",model=\"e2e-model\"} "
                + (2.0 * (FakeOpenAi.PROMPT + FakeOpenAi.COMPLETION))), text);
        assertTrue(text.contains("switchboard_request_duration_seconds_count{channel=\"" + ch
                + "\",model=\"e2e-model\",status=\"200\"} 2"), text);
        assertTrue(text.contains("switchboard_open_streams 0.0"), "the stream ended: " + text);
        assertTrue(text.contains("switchboard_breaker_state{channel=\"" + ch + "\",state=\"closed\"} 1.0"), text);
        assertTrue(text.contains("jvm_memory_used_bytes{area=\"heap\"}"), text);
        Distribution.Answer a = sb.get("/metrics", null);
        assertTrue(a.headers().getOrDefault("content-type", java.util.List.of("")).get(0).startsWith("text/plain"),
                a.headers().toString());
    }

    @Test
    void aStreamInFlightIsCountedUntilItEnds() throws Exception {
        Distribution.Instance sb = dist.start().awaitHealthy();
        channel(sb, "main", "slow-model");
        String key = token(sb, user(sb, "noa", 1_000_000), null).path("key").asText();
        HttpClient client = HttpClient.newHttpClient();
        HttpRequest req = HttpRequest.newBuilder(sb.uri("/v1/chat/completions"))
                .header("Authorization", "Bearer " + key).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"model\":\"slow-model\",\"stream\":true,"
                        + "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"))
                .build();
        HttpResponse<Stream<String>> answer = client.send(req, HttpResponse.BodyHandlers.ofLines());
        try (Stream<String> lines = answer.body()) {
            Iterator<String> it = lines.iterator();
            assertTrue(it.next().contains("Hello"), "the first event arrived; the upstream now pauses 3 s");
            String open = sb.get("/metrics", null).body();
            assertTrue(open.contains("switchboard_open_streams 1.0"), open);
            while (it.hasNext()) {
                it.next();
            }
        }
        String after = settled(() -> sb.get("/metrics", null).body(),
                t -> t.contains("switchboard_open_streams 0.0"));
        assertTrue(after.contains("switchboard_open_streams 0.0"), after);
    }

    @Test
    void withAdminAuthOnlyTheAdminTokenReadsIt() {
        Distribution.Instance sb = dist.env("SWITCHBOARD_METRICS_AUTH", "admin").start().awaitHealthy();
        Distribution.Answer anonymous = sb.get("/metrics", null);
        assertEquals(401, anonymous.status(), anonymous.toString());
        assertEquals("invalid_api_key", anonymous.json().path("error").path("code").asText());
        Distribution.Answer admin = sb.get("/metrics", ADMIN);
        assertEquals(200, admin.status(), admin.toString());
        assertTrue(admin.body().contains("switchboard_open_streams"), admin.body());
    }

    @Test
    void turnedOffItAnswers404SayingSo() {
        Distribution.Instance sb = dist.env("SWITCHBOARD_METRICS_ENABLED", "false").start().awaitHealthy();
        Distribution.Answer a = sb.get("/metrics", ADMIN);
        assertEquals(404, a.status(), a.toString());
        assertEquals("metrics_disabled", a.json().path("error").path("code").asText(), a.toString());
    }
}
