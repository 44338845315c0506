package dev.switchboard.dist.routing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.dist.Distribution;
import dev.switchboard.dist.routing.FakeUpstream.Behaviour;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Channel health: a key the vendor refuses disables its channel (and a periodic re-test enables it again once
 * the key works); a circuit breaker opens on errors, makes routing skip the channel, and closes again after
 * its probe succeeds.
 */
@Timeout(180)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ChannelHealthIT {

    private Distribution dist;
    private Gateway gw;
    private String token;
    private final FakeUpstream badKey = new FakeUpstream("badkey", Behaviour.INVALID_KEY);
    private final FakeUpstream flaky = new FakeUpstream("flaky", Behaviour.ERROR_500);
    private final FakeUpstream healthy = new FakeUpstream("healthy", Behaviour.HEALTHY);

    @BeforeAll
    void start(@TempDir Path tmp) {
        dist = Distribution.copyTo(tmp.resolve("switchboard")).env("SWITCHBOARD_ADMIN_TOKEN", Gateway.ADMIN)
                .configure("health.retest_interval = 1s", "breaker.window = 20s", "breaker.min_requests = 4",
                        "breaker.error_rate = 50", "breaker.open_for = 2s");
        gw = new Gateway(dist.start().awaitHealthy());
        token = gw.token("name", "health");
    }

    @AfterAll
    void stop() {
        dist.close();
        for (FakeUpstream f : List.of(badKey, flaky, healthy)) {
            f.close();
        }
    }

    @Test
    void anInvalidKeyDisablesItsChannelWithTheReasonAndAPassingRetestEnablesItAgain() {
        long bad = gw.channel("badkey", badKey.baseUrl(), 10, List.of("gpt-key"));
        gw.channel("healthy-key", healthy.baseUrl(), 0, List.of("gpt-key"));
        Distribution.Answer a = gw.chat(token, "gpt-key", "bad key", false);
        assertEquals(200, a.status(), "the next channel answers: " + a);
        assertEquals(1, badKey.requests("bad key"));
        assertTrue(Distribution.poll(Duration.ofSeconds(5),
                () -> "auto_disabled".equals(gw.channel(bad).path("status").asText())).isPresent(),
                gw.channel(bad).toString());
        JsonNode c = gw.channel(bad);
        assertTrue(c.path("status_reason").asText().contains("Incorrect API key provided"), c.toString());

        Distribution.Answer b = gw.chat(token, "gpt-key", "after disable", false);
        assertEquals(200, b.status());
        assertEquals(0, badKey.requests("after disable"), "an auto-disabled channel is out of routing");

        // The re-test (every second here) sends a small real request; once the key works it enables the channel.
        badKey.behave(Behaviour.HEALTHY);
        assertTrue(Distribution.poll(Duration.ofSeconds(10),
                () -> "enabled".equals(gw.channel(bad).path("status").asText())).isPresent(),
                gw.channel(bad).toString() + gw.instance().output());
        assertTrue(gw.channel(bad).path("response_time_ms").isIntegralNumber(), gw.channel(bad).toString());
        Distribution.Answer back = gw.chat(token, "gpt-key", "re-enabled", false);
        assertEquals(200, back.status());
        assertEquals(1, badKey.requests("re-enabled"), "back in its tier");
        assertTrue(gw.instance().stdout().contains("re-enabled: a re-test passed"), gw.instance().output());
    }

    @Test
    void aManuallyDisabledChannelIsNeverRetested() {
        long off = gw.channel("off", healthy.baseUrl(), 0, List.of("gpt-off"));
        assertEquals(200, gw.instance().post("/api/channels/" + off + "/disable", Gateway.ADMIN, "{}").status());
        pause(2500);
        assertEquals("disabled", gw.channel(off).path("status").asText());
    }

    @Test
    void aBreakerOpensOnErrorsSkipsTheChannelAndClosesAfterTheUpstreamRecovers() {
        long flakyId = gw.channel("flaky", flaky.baseUrl(), 10, List.of("gpt-flaky", "gpt-flaky-only"));
        gw.channel("healthy-flaky", healthy.baseUrl(), 0, List.of("gpt-flaky"));
        for (int i = 0; i < 4; i++) {
            Distribution.Answer a = gw.chat(token, "gpt-flaky", "open " + i, false);
            assertEquals(200, a.status(), a.toString());
            assertEquals(1, flaky.requests("open " + i));
        }
        assertTrue(gw.instance().stdout().contains("circuit breaker of channel " + flakyId + " opened"),
                gw.instance().output());
        for (int i = 0; i < 3; i++) {
            Distribution.Answer a = gw.chat(token, "gpt-flaky", "skipped " + i, false);
            assertEquals(200, a.status(), a.toString());
            assertEquals(0, flaky.requests("skipped " + i), "the open breaker skips the channel");
            assertEquals(1, healthy.requests("skipped " + i));
        }
        Distribution.Answer none = gw.chat(token, "gpt-flaky-only", "only flaky", false);
        assertEquals(503, none.status(), none.toString());
        assertEquals("no_available_channel", none.json().path("error").path("code").asText());
        assertTrue(none.json().path("error").path("message").asText().contains("the circuit breaker of channel "
                + flakyId + " is open (4 of 4 requests failed within 20 s)"), none.toString());
        assertEquals(0, flaky.requests("only flaky"));

        flaky.behave(Behaviour.HEALTHY);
        pause(2200);
        Distribution.Answer probe = gw.chat(token, "gpt-flaky", "probe", false);
        assertEquals(200, probe.status(), probe.toString());
        assertEquals(1, flaky.requests("probe"), "after open_for one probe goes to the channel");
        assertTrue(probe.body().contains("hello from flaky"), probe.body());
        assertTrue(gw.instance().stdout().contains("circuit breaker of channel " + flakyId + " closed"),
                gw.instance().output());
        for (int i = 0; i < 3; i++) {
            Distribution.Answer a = gw.chat(token, "gpt-flaky", "closed " + i, false);
            assertEquals(1, flaky.requests("closed " + i), "closed again: back in its tier");
            assertEquals(200, a.status());
        }
        assertEquals(200, gw.chat(token, "gpt-flaky-only", "only flaky again", false).status());
    }

    static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
