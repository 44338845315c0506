package dev.switchboard.dist.routing;

import static dev.switchboard.dist.routing.Gateway.obj;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.dist.Distribution;
import dev.switchboard.dist.routing.FakeUpstream.Behaviour;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Failover across four upstreams (one answers 500, one refuses connections, one stalls, one is healthy), the
 * final error when every channel fails, a stream broken mid-way, pinning, and model name patterns.
 */
@Timeout(180)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class FailoverIT {

    private Distribution dist;
    private Gateway gw;
    private String token;
    private final FakeUpstream failing = new FakeUpstream("failing", Behaviour.ERROR_500);
    private final FakeUpstream stalling = new FakeUpstream("stalling", Behaviour.STALL);
    private final FakeUpstream healthy = new FakeUpstream("healthy", Behaviour.HEALTHY);
    private final FakeUpstream breaking = new FakeUpstream("breaking", Behaviour.BREAK_STREAM);
    private final String refused = FakeUpstream.refusing();
    private long failingId;
    private long refusedId;
    private long stallingId;
    private long healthyId;

    @BeforeAll
    void start(@TempDir Path tmp) {
        // Breakers would soon skip the bad channels; here every request must try them all.
        dist = Distribution.copyTo(tmp.resolve("switchboard")).env("SWITCHBOARD_ADMIN_TOKEN", Gateway.ADMIN)
                .configure("retry_on_timeout = true", "retry.max_attempts = 4", "timeout.first_byte = 60s",
                        "breaker.min_requests = 1000");
        gw = new Gateway(dist.start().awaitHealthy());
        List<String> models = List.of("gpt-fail");
        failingId = gw.channel("failing", failing.baseUrl(), 10, models);
        refusedId = gw.channel("refused", refused, 10, List.of("gpt-fail", "gpt-dead"));
        // Only this channel's own first-byte timeout is short: 60 s elsewhere.
        stallingId = gw.channel("stalling", stalling.baseUrl(), 10, models, "timeouts", obj("first_byte_ms", 800));
        healthyId = gw.channel("healthy", healthy.baseUrl(), 0, List.of("gpt-fail", "gpt-break", "qwen-*"));
        gw.channel("dead", failing.baseUrl(), 5, List.of("gpt-dead"));
        gw.channel("breaking", breaking.baseUrl(), 10, List.of("gpt-break"));
        token = gw.token("name", "failover");
    }

    @AfterAll
    void stop() {
        dist.close();
        for (FakeUpstream f : List.of(failing, stalling, healthy, breaking)) {
            f.close();
        }
    }

    @Test
    void everyRequestSucceedsThroughTheHealthyOneAndNoChannelIsTriedTwice() {
        int n = 6;
        int failingBefore = failing.requests();
        int stallingBefore = stalling.requests();
        for (int i = 0; i < n; i++) {
            String content = "failover " + i;
            boolean stream = i % 3 == 2;
            Distribution.Answer a = gw.chat(token, "gpt-fail", content, stream);
            assertEquals(200, a.status(), a.toString());
            assertTrue(a.body().contains("hello from healthy"), a.body());
            if (stream) {
                assertTrue(a.body().trim().endsWith("data: [DONE]"), a.body());
            }
            assertEquals(1, failing.requests(content), "the failing upstream, once: " + content);
            assertEquals(1, stalling.requests(content), "the stalling upstream, once: " + content);
            assertEquals(1, healthy.requests(content), "the healthy upstream, once: " + content);
        }
        assertEquals(n, failing.requests() - failingBefore);
        assertEquals(n, stalling.requests() - stallingBefore);
        // Every attempt is in the request log: the three bad channels (in weighted order), then the healthy one.
        List<String> lines = Distribution.poll(java.time.Duration.ofSeconds(5),
                () -> gw.logLines("model=gpt-fail").size() >= n).isPresent() ? gw.logLines("model=gpt-fail")
                : List.of();
        assertEquals(n, lines.size(), gw.instance().output());
        for (String line : lines) {
            assertTrue(line.contains("status=200") && line.contains("attempts=4") && line.contains("channel="
                    + healthyId), line);
            for (long id : new long[] {failingId, refusedId, stallingId, healthyId}) {
                assertEquals(1, count(line, " " + id + ":") + count(line, "\"" + id + ":"), "channel " + id
                        + " once in " + line);
            }
            assertTrue(line.contains(failingId + ":500:"), line);
            assertTrue(line.contains(refusedId + ":-:") && line.contains("connection refused"), line);
            assertTrue(line.contains(stallingId + ":-:") && line.contains("no answer within 800 ms "
                    + "(timeout.first_byte)"), line);
            assertTrue(line.contains(healthyId + ":200:"), line);
        }
        System.out.println("[e2e] failover log line: " + lines.get(0));
    }

    @Test
    void whenEveryChannelFailsTheAnswerNamesTheAttempts() {
        Distribution.Answer a = gw.chat(token, "gpt-dead", "all dead", false);
        assertEquals(502, a.status(), a.toString());
        JsonNode e = a.json().path("error");
        assertEquals("upstream_error", e.path("code").asText(), a.toString());
        assertEquals("upstream_error", e.path("type").asText(), a.toString());
        String m = e.path("message").asText();
        assertTrue(m.startsWith("all 2 attempts failed: "), m);
        assertTrue(m.contains("connection refused") && m.contains("failing is failing"), m);
        assertEquals(1, failing.requests("all dead"));
    }

    @Test
    void aStreamBrokenMidwayEndsWithAnErrorEventAndDoneAndIsNotRetried() {
        Distribution.Answer a = gw.chat(token, "gpt-break", "break me", true);
        assertEquals(200, a.status(), a.toString());
        String body = a.body();
        assertTrue(body.contains("part0") && body.contains("part1"), body);
        int error = body.indexOf("data: {\"error\":");
        assertTrue(error > body.indexOf("part1"), "an error event after the chunks: " + body);
        assertTrue(body.trim().endsWith("data: [DONE]"), body);
        assertEquals(1, breaking.requests("break me"));
        assertEquals(0, healthy.requests("break me"), "never retried after the first byte");
        assertTrue(Distribution.poll(java.time.Duration.ofSeconds(5),
                () -> !gw.logLines("model=gpt-break").isEmpty()).isPresent());
        String line = gw.logLines("model=gpt-break").get(0);
        assertTrue(line.contains("attempts=1") && line.contains("error="), line);
    }

    @Test
    void anAdminsTokenPinsAChannelWithoutFailover() {
        Distribution.Answer pinnedBad = gw.chat(token, "gpt-fail", "pinned bad", false, "X-Switchboard-Channel",
                Long.toString(failingId));
        assertEquals(502, pinnedBad.status(), pinnedBad.toString());
        assertEquals(failingId, pinnedBad.json().path("error").path("channel_id").asLong(), pinnedBad.toString());
        assertEquals(1, failing.requests("pinned bad"));
        assertEquals(0, healthy.requests("pinned bad"), "no failover when pinned");
        assertEquals(0, stalling.requests("pinned bad"));

        Distribution.Answer pinnedGood = gw.chat(token, "gpt-fail", "pinned good", false, "X-Switchboard-Channel",
                Long.toString(healthyId));
        assertEquals(200, pinnedGood.status(), pinnedGood.toString());
        assertEquals(0, failing.requests("pinned good"));
        assertEquals(1, healthy.requests("pinned good"));

        Distribution.Answer missing = gw.chat(token, "gpt-fail", "pinned nowhere", false, "X-Switchboard-Channel",
                "424242");
        assertEquals(404, missing.status(), missing.toString());
    }

    @Test
    void modelPatternsServeMatchingNamesAndTheModelListInventsNone() {
        JsonNode list = gw.instance().get("/v1/models", token).json();
        List<String> ids = new java.util.ArrayList<>();
        list.path("data").forEach(m -> ids.add(m.path("id").asText()));
        assertTrue(ids.containsAll(List.of("gpt-fail", "gpt-break", "gpt-dead")), ids.toString());
        assertFalse(ids.stream().anyMatch(id -> id.contains("*") || id.startsWith("qwen")), ids.toString());
        assertEquals(200, gw.instance().get("/v1/models/qwen-max", token).status());
        assertEquals(404, gw.instance().get("/v1/models/llama-3", token).status());

        Distribution.Answer a = gw.chat(token, "qwen-max", "by pattern", false);
        assertEquals(200, a.status(), a.toString());
        assertEquals(1, healthy.requests("by pattern"));
        String limited = gw.token("name", "limited", "models", List.of("qwen-turbo", "gpt-fail", "nope"));
        List<String> visible = new java.util.ArrayList<>();
        gw.instance().get("/v1/models", limited).json().path("data").forEach(m -> visible.add(m.path("id").asText()));
        assertEquals(List.of("gpt-fail", "qwen-turbo"), visible, "a named model a pattern serves is listed");
        assertEquals(404, gw.chat(token, "llama-3", "nobody", false).status());
    }

    private static int count(String s, String part) {
        int n = 0;
        for (int i = s.indexOf(part); i >= 0; i = s.indexOf(part, i + 1)) {
            n++;
        }
        return n;
    }
}
