package dev.switchboard.core.relay;

import static dev.switchboard.core.routing.Fixtures.channel;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.api.provider.Operation;
import dev.switchboard.api.provider.UpstreamError;
import dev.switchboard.core.monitor.CallResult;
import dev.switchboard.core.monitor.Permit;
import dev.switchboard.core.routing.Candidate;
import dev.switchboard.core.routing.Fixtures;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Failover decisions: order, never twice, bounds, what is not retried, breakers, and the final error. */
class DispatchTest {

    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
    private final List<Long> launched = new ArrayList<>();
    private final List<String> health = new CopyOnWriteArrayList<>();
    private Set<Long> denied = Set.of();

    @AfterEach
    void stop() {
        scheduler.shutdownNow();
    }

    private RelayContext ctx(int maxAttempts, boolean retryOnTimeout, Duration maxTime) {
        RelayLimits limits = new RelayLimits(1 << 20, 1 << 20, 64, 1 << 20, Duration.ofSeconds(1),
                Duration.ofSeconds(1), Duration.ofSeconds(1), Duration.ofSeconds(1), Duration.ofSeconds(1),
                maxAttempts, retryOnTimeout, maxTime);
        ChannelHealth h = new ChannelHealth() {
            @Override
            public void autoDisable(long channelId, String reason) {
                health.add("disable " + channelId + ": " + reason);
            }

            @Override
            public Permit admit(long channelId, String model) {
                return denied.contains(channelId) ? Permit.DENY : Permit.PASS;
            }

            @Override
            public String blocked(long channelId, String model) {
                return "breaker of " + channelId + " open";
            }

            @Override
            public void record(long channelId, String model, Permit permit, CallResult result) {
                health.add(channelId + " " + result);
            }
        };
        return new RelayContext(limits, null, scheduler, o -> { }, h, Admission.NONE);
    }

    private static List<Candidate> candidates(int n) {
        List<Candidate> out = new ArrayList<>();
        for (int i = 1; i <= n; i++) {
            out.add(new Candidate(channel(i, 0, 1, "m"), Fixtures.installed("fake", Operation.CHAT), "m"));
        }
        return out;
    }

    private Dispatch dispatch(List<Candidate> cs, RelayContext ctx) {
        return new Dispatch(cs, "m", System.nanoTime(), ctx, c -> launched.add(c.channel().id()));
    }

    private static RelayError serverError(Candidate c) {
        return new RelayError(502, "upstream_error", "upstream_error", null, "[channel " + c.channel().id()
                + "] HTTP 500", null, c.channel().id());
    }

    private static UpstreamError retryable() {
        return UpstreamError.builder(502, "upstream_error", "HTTP 500").retryable(true).build();
    }

    @Test
    void channelFailuresMoveOnInOrderNeverTwiceWithinTheAttemptLimit() {
        List<Candidate> cs = candidates(5);
        Dispatch d = dispatch(cs, ctx(3, false, Duration.ofMinutes(1)));
        d.start();
        assertNull(d.failed(cs.get(0), serverError(cs.get(0)), retryable(), false, 500));
        assertNull(d.failed(cs.get(1), serverError(cs.get(1)), null, false, 0));
        RelayError last = d.failed(cs.get(2), serverError(cs.get(2)), retryable(), false, 503);
        assertEquals(List.of(1L, 2L, 3L), launched);
        assertEquals(502, last.status());
        assertEquals("upstream_error", last.code());
        assertTrue(last.getMessage().startsWith("all 3 attempts failed: [channel 1] HTTP 500; [channel 2] HTTP 500; "),
                last.getMessage());
        assertEquals(3, d.attempts());
        List<Tried> tried = d.tried();
        assertEquals(List.of(1L, 2L, 3L), tried.stream().map(Tried::channelId).toList());
        assertEquals(List.of(500, 0, 503), tried.stream().map(Tried::status).toList());
        assertTrue(tried.get(0).toString().startsWith("1:500:"), tried.get(0).toString());
        assertTrue(tried.get(1).toString().contains(":-:"), tried.get(1).toString());
        assertEquals(List.of("1 FAILURE", "2 FAILURE", "3 FAILURE"), health);
    }

    @Test
    void theCallersOwnErrorEndsTheRequestAtOnceAndCountsAsAnAnswer() {
        List<Candidate> cs = candidates(3);
        Dispatch d = dispatch(cs, ctx(3, false, Duration.ofMinutes(1)));
        d.start();
        RelayError bad = new RelayError(400, "invalid_request_error", "context_length_exceeded", null, "too long",
                null, 1L);
        RelayError answer = d.failed(cs.get(0), bad, UpstreamError.builder(400, "context_length_exceeded",
                "too long").build(), false, 400);
        assertEquals(bad, answer);
        assertEquals(List.of(1L), launched);
        assertEquals(List.of("1 SUCCESS"), health);
    }

    @Test
    void aFirstByteTimeoutMovesOnOnlyWhenAllowedAndTimeoutsAloneAnswer504() {
        List<Candidate> cs = candidates(3);
        Dispatch strict = dispatch(cs, ctx(3, false, Duration.ofMinutes(1)));
        strict.start();
        RelayError timeout = new RelayError(504, "upstream_error", "upstream_timeout", null, "timed out", null, 1L);
        assertEquals(timeout, strict.failed(cs.get(0), timeout, null, true, 0));
        assertEquals(List.of(1L), launched);

        launched.clear();
        Dispatch lenient = dispatch(cs, ctx(2, true, Duration.ofMinutes(1)));
        lenient.start();
        assertNull(lenient.failed(cs.get(0), timeout, null, true, 0));
        RelayError last = lenient.failed(cs.get(1), timeout, null, true, 0);
        assertEquals(504, last.status());
        assertEquals("upstream_timeout", last.code());
        assertEquals(List.of(1L, 2L), launched);
    }

    @Test
    void upstreamRateLimitsEverywhereAnswer429() {
        List<Candidate> cs = candidates(2);
        Dispatch d = dispatch(cs, ctx(3, false, Duration.ofMinutes(1)));
        d.start();
        UpstreamError limited = UpstreamError.builder(429, "upstream_rate_limited", "slow down")
                .type("rate_limit_exceeded").retryable(true).build();
        assertNull(d.failed(cs.get(0), RelayError.upstream(limited, 1, null), limited, false, 429));
        RelayError last = d.failed(cs.get(1), RelayError.upstream(limited, 2, null), limited, false, 429);
        assertEquals(429, last.status());
        assertEquals("upstream_rate_limited", last.code());
    }

    @Test
    void noNewAttemptOnceTheRequestsTimeIsUp() throws Exception {
        List<Candidate> cs = candidates(3);
        Dispatch d = dispatch(cs, ctx(3, false, Duration.ofMillis(50)));
        d.start();
        TimeUnit.MILLISECONDS.sleep(80);
        RelayError last = d.failed(cs.get(0), serverError(cs.get(0)), retryable(), false, 500);
        assertEquals(List.of(1L), launched);
        assertEquals(502, last.status());
        assertTrue(last.getMessage().startsWith("1 attempt failed (gave up after 50 ms (retry.max_time)): "),
                last.getMessage());
    }

    @Test
    void channelsTheBreakersRefuseAreSkippedWithoutCostingAnAttempt() {
        List<Candidate> cs = candidates(4);
        denied = Set.of(1L, 3L);
        Dispatch d = dispatch(cs, ctx(2, false, Duration.ofMinutes(1)));
        d.start();
        assertNull(d.failed(cs.get(1), serverError(cs.get(1)), retryable(), false, 500));
        RelayError last = d.failed(cs.get(3), serverError(cs.get(3)), retryable(), false, 500);
        assertEquals(List.of(2L, 4L), launched);
        assertTrue(last.getMessage().startsWith("all 2 attempts failed (skipped: breaker of 1 open; breaker of 3 "
                + "open): "), last.getMessage());

        denied = Set.of(1L, 2L);
        RelayError none = assertThrows(RelayError.class, () -> dispatch(candidates(2), ctx(3, false,
                Duration.ofMinutes(1))).start());
        assertEquals(503, none.status());
        assertEquals("no_available_channel", none.code());
        assertEquals("no available channel for model m: breaker of 1 open; breaker of 2 open", none.getMessage());
    }

    @Test
    void aPinnedChannelGoesWhateverItsBreakersSay() {
        denied = Set.of(1L);
        List<Candidate> cs = candidates(1);
        new Dispatch(cs, "m", true, System.nanoTime(), ctx(3, false, Duration.ofMinutes(1)),
                c -> launched.add(c.channel().id())).start();
        assertEquals(List.of(1L), launched);
    }

    @Test
    void aRefreshIsResentOnceOnTheSameChannelAndARefusedKeyDisablesIt() throws Exception {
        List<Candidate> cs = candidates(2);
        Dispatch d = dispatch(cs, ctx(3, false, Duration.ofMinutes(1)));
        d.start();
        UpstreamError refresh = UpstreamError.builder(502, "upstream_error", "token expired").retryable(true)
                .refreshAndRetry(true).build();
        assertNull(d.failed(cs.get(0), RelayError.upstream(refresh, 1, null), refresh, false, 401));
        UpstreamError refused = UpstreamError.builder(502, "upstream_error", "[fake invalid_api_key] bad key")
                .disableChannel(true).build();
        assertNull(d.failed(cs.get(0), RelayError.upstream(refused, 1, null), refused, false, 401));
        assertEquals(List.of(1L, 1L, 2L), launched);
        assertEquals(3, d.attempts());
        d.answered(cs.get(1), 42);
        d.finished(cs.get(1), 200, null, false);
        // The channel is disabled before the next attempt starts (and so before any answer).
        assertEquals(List.of("disable 1: [fake invalid_api_key] bad key", "1 FAILURE", "2 SUCCESS"), health);
        assertEquals(List.of(1L, 1L, 2L), d.tried().stream().map(Tried::channelId).toList());
        assertNull(d.tried().get(2).reason());
    }

    @Test
    void aStreamBrokenAfterItsStartCountsAsBrokenAndAClientThatLeftAsNoVerdict() {
        List<Candidate> cs = candidates(2);
        Dispatch d = dispatch(cs, ctx(3, false, Duration.ofMinutes(1)));
        d.start();
        d.answered(cs.get(0), 10);
        d.finished(cs.get(0), 200, "the stream broke", false);
        assertEquals(List.of("1 SUCCESS", "1 BROKEN"), health);

        health.clear();
        Dispatch gone = dispatch(cs, ctx(3, false, Duration.ofMinutes(1)));
        gone.start();
        gone.finished(cs.get(0), 0, "the client disconnected", true);
        assertEquals(List.of("1 NONE"), health);
    }
}
