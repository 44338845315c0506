package dev.switchboard.dist.qwen;

import static dev.switchboard.dist.qwen.QwenGateway.obj;
import static dev.switchboard.dist.qwen.QwenGateway.userSays;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The routing verdicts of qwen errors, which the core acts on: a channel whose key DashScope refuses is disabled and
 * the request moves on; a rate-limited channel is skipped; with nothing left the client gets 429.
 */
@Timeout(120)
class QwenFailoverIT {

    @TempDir
    Path tmp;

    private QwenGateway gw;

    @BeforeEach
    void start() {
        gw = new QwenGateway(tmp);
    }

    @AfterEach
    void stop() {
        gw.close();
    }

    @Test
    void aRateLimitWithNoOtherChannelIs429() {
        gw.channel("limited", FakeDashScope.GOOD_KEY, "", Map.of("mode", "native"),
                Map.of("lonely", "fail-Throttling.BurstRate"), 0);
        QwenGateway.Reply r = gw.chat(obj("model", "lonely", "messages", userSays("Hi")));
        assertEquals(429, r.status(), r.toString());
        assertEquals("rate_limit_exceeded", r.json().path("error").path("type").asText());
        assertEquals("upstream_rate_limited", r.json().path("error").path("code").asText());
    }

    @Test
    void aRevokedKeyDisablesItsChannel() {
        long revoked = gw.channel("revoked", FakeDashScope.REVOKED_KEY, "", Map.of("mode", "native"),
                Map.of("qwen-plus", "qwen-plus"), 0);
        QwenGateway.Reply r = gw.chat(obj("model", "qwen-plus", "messages", userSays("Hi")));
        assertEquals(502, r.status(), r.toString());
        JsonNode channel = gw.channelView(revoked);
        assertEquals("auto_disabled", channel.path("status").asText(), channel.toString());
        assertTrue(channel.path("status_reason").asText().contains("InvalidApiKey"), channel.toString());
    }

    @Test
    void aRevokedKeyFailsOverToTheNextChannel() {
        long revoked = gw.channel("revoked, tried first", FakeDashScope.REVOKED_KEY, "", Map.of("mode", "native"),
                Map.of("qwen-plus", "qwen-plus"), 10);
        long good = gw.channel("good, tried second", FakeDashScope.GOOD_KEY, "", Map.of(),
                Map.of("qwen-plus", "qwen-max"), 0);
        QwenGateway.Reply r = gw.chat(obj("model", "qwen-plus", "messages", userSays("Hi")));
        assertEquals(200, r.status(), r.toString());
        assertEquals(FakeDashScope.TEXT, r.json().path("choices").path(0).path("message").path("content").asText());
        assertEquals(String.valueOf(good), gw.logLine(r.requestId()).get("channel"));
        assertEquals("auto_disabled", gw.channelView(revoked).path("status").asText());
    }

    @Test
    void aRateLimitedChannelIsSkippedButStaysEnabled() {
        long limited = gw.channel("limited, tried first", FakeDashScope.GOOD_KEY, "", Map.of("mode", "native"),
                Map.of("qwen-plus", "fail-Throttling.RateQuota"), 10);
        gw.channel("good, tried second", FakeDashScope.GOOD_KEY, "", Map.of("mode", "native"),
                Map.of("qwen-plus", "qwen-plus"), 0);
        QwenGateway.Reply r = gw.chat(obj("model", "qwen-plus", "messages", userSays("Hi")));
        assertEquals(200, r.status(), r.toString());
        assertEquals("enabled", gw.channelView(limited).path("status").asText(), "a rate limit disables nothing");
    }

    @Test
    void aContentFilterIsNotRetriedElsewhere() {
        gw.channel("filtering, tried first", FakeDashScope.GOOD_KEY, "", Map.of("mode", "native"),
                Map.of("qwen-plus", "fail-DataInspectionFailed"), 10);
        gw.channel("would answer", FakeDashScope.GOOD_KEY, "", Map.of("mode", "native"),
                Map.of("qwen-plus", "qwen-plus"), 0);
        int before = gw.fake.received().size();
        QwenGateway.Reply r = gw.chat(obj("model", "qwen-plus", "messages", userSays("Hi")));
        assertEquals(400, r.status(), r.toString());
        assertEquals("content_filter", r.json().path("error").path("code").asText());
        assertEquals(before + 1, gw.fake.received().size(), "one upstream call: the caller's error is not retried");
    }
}
