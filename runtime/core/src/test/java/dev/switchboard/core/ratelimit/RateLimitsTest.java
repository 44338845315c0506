package dev.switchboard.core.ratelimit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.core.store.TokenRecord;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** Sliding windows per token, concurrency slots, defaults, and the headers a client gets. */
class RateLimitsTest {

    private static final long S = TimeUnit.SECONDS.toNanos(1);

    private final AtomicLong clock = new AtomicLong(600 * S);

    private static TokenRecord token(long id, Integer rpm, Integer tpm, Integer concurrency) {
        return new TokenRecord(id, "t", "h", "sk-...", "enabled", null, true, 0, 0, List.of(), List.of(), null, rpm,
                tpm, concurrency, 1, 0);
    }

    private static Map<String, String> headers(Decision d) {
        Map<String, String> h = new LinkedHashMap<>();
        d.headers(h::put);
        return h;
    }

    @Test
    void rpmAdmitsUpToTheLimitThenSaysWhenToRetry() {
        RateLimits limits = new RateLimits(0, 0, 0, RateLimits.MINUTE, clock::get);
        TokenRecord t = token(1, 3, null, null);
        for (int i = 0; i < 3; i++) {
            Decision d = limits.admit(t, true);
            assertTrue(d.allowed());
            assertEquals(Long.toString(2 - i), headers(d).get("x-ratelimit-remaining-requests"));
        }
        clock.addAndGet(10 * S);
        Decision refused = limits.admit(t, true);
        assertFalse(refused.allowed());
        // Room for one more once a third of the next minute has passed: 70 s from now.
        assertEquals("rate limit exceeded: this token made its 3 requests per minute (rpm); retry in 70 s",
                refused.refusal());
        assertEquals(70, refused.retryAfterSeconds());
        Map<String, String> h = headers(refused);
        assertEquals("3", h.get("x-ratelimit-limit-requests"));
        assertEquals("0", h.get("x-ratelimit-remaining-requests"));
        assertEquals("1m50s", h.get("x-ratelimit-reset-requests"));
        assertFalse(h.containsKey("x-ratelimit-limit-tokens"));
        // The minute slides: 20 s into the next minute, two thirds of the last one still count: 2 of 3.
        clock.addAndGet(70 * S);
        assertTrue(limits.admit(t, true).allowed());
        assertFalse(limits.admit(t, true).allowed());
        assertTrue(limits.admit(token(2, 3, null, null), true).allowed(), "other tokens have their own counts");
    }

    @Test
    void theSlidingWindowWeighsThePreviousMinuteByItsOverlap() {
        SlidingWindow w = new SlidingWindow(60 * S);
        long start = 60 * 100 * S;
        w.add(start + 30 * S, 60);
        assertEquals(60, w.estimate(start + 59 * S), 1e-9);
        assertEquals(45, w.estimate(start + 75 * S), 1e-9, "a quarter into the next minute: three quarters left");
        assertEquals(0, w.estimate(start + 120 * S), 1e-9);
        assertEquals(0, w.nanosUntilRoom(start + 75 * S, 50));
        assertEquals(15 * S, w.nanosUntilRoom(start + 75 * S, 31), 1_000_000,
                "30 of 60 may stay: at 30 s into the next minute");
        assertEquals(35 * S, w.nanosUntilEmpty(start + 85 * S));
    }

    @Test
    void tpmRefusesOnceTheLastMinutesUsageReachesTheLimit() {
        RateLimits limits = new RateLimits(0, 0, 0, RateLimits.MINUTE, clock::get);
        TokenRecord t = token(1, null, 100, null);
        assertTrue(limits.admit(t, true).allowed());
        limits.consumed(1, 60);
        Decision d = limits.admit(t, true);
        assertTrue(d.allowed());
        assertEquals("40", headers(d).get("x-ratelimit-remaining-tokens"));
        limits.consumed(1, 60);
        Decision refused = limits.admit(t, true);
        assertFalse(refused.allowed());
        assertTrue(refused.refusal().contains("100 tokens per minute (tpm)"), refused.refusal());
        Map<String, String> h = headers(refused);
        assertEquals("100", h.get("x-ratelimit-limit-tokens"));
        assertEquals("0", h.get("x-ratelimit-remaining-tokens"));
        assertTrue(refused.retryAfterSeconds() >= 1);
    }

    @Test
    void concurrencySlotsAreHeldUntilReleasedOnce() {
        RateLimits limits = new RateLimits(0, 0, 0, RateLimits.MINUTE, clock::get);
        TokenRecord t = token(1, null, null, 2);
        Decision a = limits.admit(t, true);
        Decision b = limits.admit(t, true);
        assertTrue(a.allowed() && b.allowed());
        Decision c = limits.admit(t, true);
        assertFalse(c.allowed());
        assertEquals("rate limit exceeded: this token has 2 requests in flight, its max_concurrency; retry in 1 s",
                c.refusal());
        a.release();
        a.release();
        assertTrue(limits.admit(t, true).allowed());
        assertFalse(limits.admit(t, true).allowed(), "a second release gave nothing back");
    }

    @Test
    void aRequestRefusedForRpmGivesItsConcurrencySlotBack() {
        RateLimits limits = new RateLimits(0, 0, 0, RateLimits.MINUTE, clock::get);
        TokenRecord t = token(1, 1, null, 1);
        Decision first = limits.admit(t, true);
        assertTrue(first.allowed());
        first.release();
        assertFalse(limits.admit(t, true).allowed(), "rpm");
        clock.addAndGet(120 * S);
        assertTrue(limits.admit(t, true).allowed(), "the refused one held no slot");
    }

    @Test
    void defaultsApplyToTokensWithoutTheirOwnAndUnlimitedTokensGetNoHeaders() {
        RateLimits limits = new RateLimits(2, 0, 0, RateLimits.MINUTE, clock::get);
        TokenRecord plain = token(1, null, null, null);
        assertTrue(limits.admit(plain, true).allowed());
        assertTrue(limits.admit(plain, true).allowed());
        assertFalse(limits.admit(plain, true).allowed());
        TokenRecord own = token(2, 5, null, null);
        for (int i = 0; i < 5; i++) {
            assertTrue(limits.admit(own, true).allowed());
        }
        RateLimits none = RateLimits.none();
        Decision d = none.admit(plain, true);
        assertSame(Decision.UNLIMITED, d);
        assertTrue(headers(d).isEmpty());
    }

    @Test
    void underContentionExactlyTheLimitIsAdmitted() throws Exception {
        RateLimits limits = new RateLimits(0, 0, 0, RateLimits.MINUTE, clock::get);
        TokenRecord t = token(1, 500, null, null);
        ExecutorService pool = Executors.newFixedThreadPool(8);
        CountDownLatch go = new CountDownLatch(1);
        AtomicInteger admitted = new AtomicInteger();
        for (int i = 0; i < 8; i++) {
            pool.submit(() -> {
                go.await();
                for (int j = 0; j < 200; j++) {
                    if (limits.admit(t, true).allowed()) {
                        admitted.incrementAndGet();
                    }
                }
                return null;
            });
        }
        go.countDown();
        pool.shutdown();
        assertTrue(pool.awaitTermination(10, TimeUnit.SECONDS));
        assertEquals(500, admitted.get());
    }

    @Test
    void durationsAreWrittenTheWayOpenAiWritesThem() {
        assertEquals("0s", Decision.text(0));
        assertEquals("1s", Decision.text(1));
        assertEquals("59s", Decision.text(59 * S));
        assertEquals("6m0s", Decision.text(360 * S));
    }
}
