package dev.switchboard.core.ratelimit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.core.store.PostgresStore;
import dev.switchboard.core.store.TokenRecord;
import dev.switchboard.core.store.TwoStores;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Two nodes, each with its own limits and store on one PostgreSQL, leasing slices of a token's requests per minute. */
class RequestLeasesTest {

    private TwoStores stores;
    private final ExecutorService ahead = Executors.newFixedThreadPool(2);
    /** Both nodes' wall clock, ten seconds into a minute. */
    private final AtomicLong clock = new AtomicLong(TimeUnit.MINUTES.toNanos(29_000_000) + TimeUnit.SECONDS.toNanos(10));

    @BeforeEach
    void open() {
        stores = TwoStores.open();
    }

    @AfterEach
    void close() throws InterruptedException {
        ahead.shutdown();
        ahead.awaitTermination(10, TimeUnit.SECONDS);
        if (stores != null) {
            stores.close();
        }
    }

    private RateLimits node(PostgresStore store) {
        return new RateLimits(0, 0, 0, RateLimits.MINUTE, clock::get, new RequestLeases(store, ahead));
    }

    private static TokenRecord token(long id, int rpm) {
        return new TokenRecord(id, "t", "h", "sk-...", "enabled", null, true, 0, 0, List.of(), List.of(), null, rpm,
                null, null, 1, 0);
    }

    /** Sends {@code perThread} requests from each of {@code threads} threads per node, all at once. */
    private static int burst(List<RateLimits> nodes, TokenRecord t, int threads, int perThread) throws Exception {
        ExecutorService senders = Executors.newFixedThreadPool(threads * nodes.size());
        CountDownLatch start = new CountDownLatch(1);
        AtomicInteger admitted = new AtomicInteger();
        List<Future<?>> done = new ArrayList<>();
        try {
            for (RateLimits n : nodes) {
                for (int i = 0; i < threads; i++) {
                    done.add(senders.submit(() -> {
                        start.await();
                        for (int k = 0; k < perThread; k++) {
                            if (n.admit(t, true).allowed()) {
                                admitted.incrementAndGet();
                            }
                        }
                        return null;
                    }));
                }
            }
            start.countDown();
            for (Future<?> f : done) {
                f.get(60, TimeUnit.SECONDS);
            }
        } finally {
            senders.shutdownNow();
        }
        return admitted.get();
    }

    @Test
    void aConcurrentBurstThroughTwoNodesNeverExceedsTheRpmAndWastesAtMostTenPercent() throws Exception {
        RateLimits a = node(stores.a);
        RateLimits b = node(stores.b);
        TokenRecord t = token(7, 200);
        int admitted = burst(List.of(a, b), t, 4, 150);
        System.out.println("[rate] rpm 200, 1200 concurrent requests through two nodes: " + admitted + " admitted");
        assertTrue(admitted <= 200, "never above the limit: " + admitted + " admitted");
        assertTrue(admitted >= 180, "within 10% of the limit: " + admitted + " admitted");
        assertFalse(a.admit(t, true).allowed());
        assertFalse(b.admit(t, true).allowed());
    }

    @Test
    void aSmallLimitIsLeasedOneRequestAtATimeAndHoldsExactly() throws Exception {
        RateLimits a = node(stores.a);
        RateLimits b = node(stores.b);
        TokenRecord t = token(8, 20);
        int admitted = burst(List.of(a, b), t, 3, 20);
        assertTrue(admitted <= 20 && admitted >= 18, "rpm 20 across two nodes: " + admitted + " admitted");
    }

    @Test
    void aRefusalSaysWhenTheMinuteEndsAndTheNextMinuteIsFreeAgain() {
        RateLimits a = node(stores.a);
        RateLimits b = node(stores.b);
        TokenRecord t = token(9, 2);
        assertTrue(a.admit(t, true).allowed());
        assertTrue(b.admit(t, true).allowed());
        Decision refused = a.admit(t, true);
        assertFalse(refused.allowed());
        assertTrue(refused.refusal().contains("2 requests per minute (rpm)"), refused.refusal());
        assertEquals(50, refused.retryAfterSeconds(), "until the wall-clock minute ends");
        Map<String, String> headers = new HashMap<>();
        refused.headers(headers::put);
        assertEquals("0", headers.get("x-ratelimit-remaining-requests"));
        assertEquals("50s", headers.get("x-ratelimit-reset-requests"));
        assertFalse(b.admit(t, true).allowed());
        clock.addAndGet(TimeUnit.MINUTES.toNanos(1));
        assertTrue(b.admit(t, true).allowed(), "a new minute, a new budget");
        assertTrue(a.admit(t, true).allowed());
        assertFalse(a.admit(t, true).allowed());
    }

    @Test
    void aCallerThatMayNotWaitIsToldWhenOnlyALeaseCanDecideAndHoldsNothingMeanwhile() {
        RateLimits a = node(stores.a);
        TokenRecord t = new TokenRecord(11, "t", "h", "sk-...", "enabled", null, true, 0, 0, List.of(), List.of(),
                null, 100, null, 1, 1, 0);
        Decision first = a.admit(t, false);
        assertTrue(first.mustWait(), "a new minute: this node's slice is empty, only the database can say");
        Map<String, String> headers = new HashMap<>();
        first.headers(headers::put);
        assertEquals(Map.of(), headers, "nothing decided, nothing to say");
        Decision leased = a.admit(t, true);
        assertTrue(leased.allowed(), "where waiting is allowed the slice is leased (the concurrency slot was free)");
        leased.release();
        for (int i = 0; i < 4; i++) {
            Decision d = a.admit(t, false);
            assertTrue(d.allowed() && !d.mustWait(), "request " + (i + 2) + " comes from the leased slice of 5");
            d.release();
        }
    }

    @Test
    void withoutTheDatabaseANodeCountsTheRpmAlone() {
        RateLimits a = node(stores.a);
        TokenRecord t = token(10, 3);
        stores.a.close();
        for (int i = 0; i < 3; i++) {
            assertTrue(a.admit(t, true).allowed(), "request " + (i + 1) + " of 3, counted on this node");
        }
        assertFalse(a.admit(t, true).allowed(), "the 4th is over the rpm even without the database");
    }
}
