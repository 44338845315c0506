package dev.switchboard.core.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.core.monitor.BreakerSettings;
import dev.switchboard.core.monitor.Breakers;
import dev.switchboard.core.monitor.CallResult;
import dev.switchboard.core.monitor.Permit;
import dev.switchboard.core.store.LogRecord;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What a scrape shows after requests were settled: the Prometheus text a scraper reads. */
class GatewayMetricsTest {

    private final Breakers breakers = new Breakers(new BreakerSettings(true, Duration.ofSeconds(60), 2, 50,
            Duration.ofSeconds(30), Duration.ofSeconds(30)));
    private final GatewayMetrics metrics = new GatewayMetrics(breakers);

    private static LogRecord relay(long channel, String model, int status, long firstByteMs, long totalMs,
            long prompt, long completion, long cost, List<LogRecord.AttemptEntry> attempts) {
        return new LogRecord(1, 1, LogRecord.RELAY, 1, 1, "t", channel, model, model, false, prompt, completion, 0,
                cost, false, false, firstByteMs, totalMs, status, status >= 400 ? "failed" : null, attempts,
                "127.0.0.1", "req-1", null);
    }

    private String scrape() {
        return new String(metrics.scrape(), StandardCharsets.UTF_8);
    }

    @Test
    void countsRequestsErrorsTokensAndCostPerChannelModelAndStatus() {
        metrics.settled().accept(relay(3, "gpt-4o", 200, 120, 300, 10, 20, 30,
                List.of(new LogRecord.AttemptEntry(3, 200, 120, null))));
        metrics.settled().accept(relay(3, "gpt-4o", 200, 80, 90, 5, 7, 12,
                List.of(new LogRecord.AttemptEntry(3, 200, 80, null))));
        metrics.settled().accept(relay(0, "nope", 404, -1, 2, 0, 0, 0, List.of()));
        String text = scrape();

        assertTrue(text.contains("switchboard_requests_total{channel=\"3\",model=\"gpt-4o\",status=\"200\"} 2.0"),
                text);
        assertTrue(text.contains("switchboard_request_errors_total{channel=\"0\",model=\"nope\",status=\"404\"} 1.0"),
                text);
        assertFalse(text.contains("switchboard_request_errors_total{channel=\"3\""), "a 200 is no error");
        assertTrue(text.contains("switchboard_tokens_total{channel=\"3\",kind=\"prompt\",model=\"gpt-4o\"} 15.0"),
                text);
        assertTrue(text.contains("switchboard_tokens_total{channel=\"3\",kind=\"completion\",model=\"gpt-4o\"} 27.0"),
                text);
        assertTrue(text.contains("switchboard_cost_total{channel=\"3\",model=\"gpt-4o\"} 42.0"), text);
        // 0.08 s and 0.12 s: one in the 0.1 bucket, both in 0.25; seconds summed.
        assertTrue(text.contains("switchboard_request_first_byte_seconds_bucket{channel=\"3\",model=\"gpt-4o\","
                + "status=\"200\",le=\"0.1\"} 1"), text);
        assertTrue(text.contains("switchboard_request_first_byte_seconds_bucket{channel=\"3\",model=\"gpt-4o\","
                + "status=\"200\",le=\"0.25\"} 2"), text);
        assertTrue(text.contains("switchboard_request_first_byte_seconds_sum{channel=\"3\",model=\"gpt-4o\","
                + "status=\"200\"} 0.2"), text);
        assertTrue(text.contains("switchboard_request_duration_seconds_count{channel=\"0\",model=\"nope\","
                + "status=\"404\"} 1"), text);
        assertFalse(text.contains("switchboard_request_first_byte_seconds_count{channel=\"0\""),
                "no upstream answered: no first byte to time");
    }

    @Test
    void countsEachAttemptAndAFailoverForEachChannelLeftForAnother() {
        metrics.settled().accept(relay(2, "m", 200, 5, 50, 1, 1, 0, List.of(
                new LogRecord.AttemptEntry(1, 500, 10, "upstream 500"),
                new LogRecord.AttemptEntry(4, 0, 10, "connection refused"),
                new LogRecord.AttemptEntry(2, 200, 5, null))));
        String text = scrape();
        assertTrue(text.contains("switchboard_upstream_attempts_total{channel=\"1\",status=\"500\"} 1.0"), text);
        assertTrue(text.contains("switchboard_upstream_attempts_total{channel=\"4\",status=\"0\"} 1.0"), text);
        assertTrue(text.contains("switchboard_upstream_attempts_total{channel=\"2\",status=\"200\"} 1.0"), text);
        assertTrue(text.contains("switchboard_failovers_total{channel=\"1\"} 1.0"), text);
        assertTrue(text.contains("switchboard_failovers_total{channel=\"4\"} 1.0"), text);
        assertFalse(text.contains("switchboard_failovers_total{channel=\"2\"}"), "the last channel served");
    }

    @Test
    void showsOpenStreamsAndBreakerStatesAndTheJvm() {
        metrics.meter().opened();
        metrics.meter().opened();
        metrics.meter().closed();
        for (int i = 0; i < 2; i++) {
            Permit p = breakers.admit(7, "m");
            breakers.record(7, "m", p, CallResult.FAILURE);
        }
        breakers.record(8, "m", breakers.admit(8, "m"), CallResult.SUCCESS);
        String text = scrape();
        assertTrue(text.contains("switchboard_open_streams 1.0"), text);
        assertTrue(text.contains("switchboard_breaker_state{channel=\"7\",state=\"open\"} 1.0"), text);
        assertTrue(text.contains("switchboard_breaker_state{channel=\"8\",state=\"closed\"} 1.0"), text);
        assertTrue(text.contains("switchboard_model_breakers_not_closed{channel=\"7\"} 1.0"), text);
        assertTrue(text.contains("jvm_memory_used_bytes{area=\"heap\"}"), text);
        assertTrue(text.contains("jvm_threads_current"), text);
    }

    @Test
    void countsRequestsRefusedBeforeTheirTokenWasKnownByStatus() {
        metrics.meter().refusedBeforeToken(401);
        metrics.meter().refusedBeforeToken(401);
        metrics.meter().refusedBeforeToken(404);
        String text = scrape();
        assertTrue(text.contains("switchboard_requests_total{channel=\"0\",model=\"none\",status=\"401\"} 2.0"), text);
        assertTrue(text.contains("switchboard_request_errors_total{channel=\"0\",model=\"none\",status=\"401\"} 2.0"),
                text);
        assertTrue(text.contains("switchboard_requests_total{channel=\"0\",model=\"none\",status=\"404\"} 1.0"), text);
    }

    @Test
    void aModelFloodSharesOneLabelInsteadOfGrowingTheScrape() {
        ModelLabels labels = new ModelLabels(2);
        assertEquals("a", labels.of("a"));
        assertEquals("b", labels.of("b"));
        assertEquals(ModelLabels.OTHER, labels.of("c"));
        assertEquals("a", labels.of("a"), "names seen before keep their series");
        assertEquals(ModelLabels.NONE, labels.of(null));
    }

    @Test
    void adminEntriesAreNotRequests() {
        metrics.settled().accept(new LogRecord(1, 1, LogRecord.ADMIN, 1, 0, null, 0, null, null, false, 0, 0, 0, 0,
                false, false, -1, 0, 200, null, List.of(), "127.0.0.1", "r", "POST /api/channels"));
        assertFalse(scrape().contains("switchboard_requests_total{"));
    }
}
