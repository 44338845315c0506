package dev.switchboard.core.ratelimit;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.core.store.PostgresStore;
import dev.switchboard.core.store.TokenRecord;
import dev.switchboard.core.store.TwoStores;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Two nodes, each with its own limits and store on one PostgreSQL, exchanging counts as the gateway does. */
class SharedCountsTest {

    private TwoStores stores;
    private PostgresStore storeA;
    private PostgresStore storeB;
    /** Both nodes' wall clock, half a minute into a window. */
    private final AtomicLong clock = new AtomicLong(TimeUnit.MINUTES.toNanos(29_000_000) + TimeUnit.SECONDS.toNanos(30));

    @BeforeEach
    void open() {
        stores = TwoStores.open();
        storeA = stores.a;
        storeB = stores.b;
    }

    @AfterEach
    void close() {
        if (stores != null) {
            stores.close();
        }
    }

    private RateLimits limits() {
        return new RateLimits(0, 0, 0, RateLimits.MINUTE, clock::get);
    }

    private static TokenRecord token(Integer rpm, Integer tpm) {
        return new TokenRecord(7, "t", "h", "sk-...", "enabled", null, true, 0, 0, List.of(), List.of(), null, rpm,
                tpm, null, 1, 0);
    }

    @Test
    void aTokensRpmHoldsWithinTenPercentAcrossTwoNodesUnderRoundRobin() {
        RateLimits a = limits();
        RateLimits b = limits();
        List<SharedCounts> exchanges = List.of(new SharedCounts(a, storeA), new SharedCounts(b, storeB));
        TokenRecord t = token(100, null);
        int admitted = 0;
        for (int i = 0; i < 400; i++) {
            if ((i % 2 == 0 ? a : b).admit(t, true).allowed()) {
                admitted++;
            }
            // Each node exchanges after every few requests it served (as it would every 250 ms under load).
            if (i % 6 == 5) {
                exchanges.forEach(SharedCounts::run);
            }
            clock.addAndGet(TimeUnit.MILLISECONDS.toNanos(10));
        }
        assertTrue(admitted >= 90 && admitted <= 110, "100 rpm across two nodes admitted " + admitted);
        exchanges.forEach(SharedCounts::run);
        assertFalse(a.admit(t, true).allowed());
        assertFalse(b.admit(t, true).allowed());
    }

    @Test
    void tokensCountedOnOneNodeCountOnTheOtherAndTheNextMinuteIsFreeAgain() {
        RateLimits a = limits();
        RateLimits b = limits();
        TokenRecord t = token(null, 1_000);
        assertTrue(a.admit(t, true).allowed());
        a.consumed(t.id(), 1_500);
        assertTrue(b.admit(t, true).allowed(), "B has not heard of A's tokens yet");
        new SharedCounts(a, storeA).run();
        new SharedCounts(b, storeB).run();
        assertFalse(b.admit(t, true).allowed(), "A's 1500 tokens count against the 1000 tpm on B");
        clock.addAndGet(TimeUnit.MINUTES.toNanos(2));
        new SharedCounts(a, storeA).run();
        new SharedCounts(b, storeB).run();
        assertTrue(b.admit(t, true).allowed(), "two minutes on, the window is empty again");
    }
}
