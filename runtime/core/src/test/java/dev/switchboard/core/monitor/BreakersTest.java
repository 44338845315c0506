package dev.switchboard.core.monitor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** Circuit breaker state changes: closed, open, half-open with one probe, closed again; per channel and model. */
class BreakersTest {

    private static final long S = TimeUnit.SECONDS.toNanos(1);

    private final AtomicLong clock = new AtomicLong(1_000 * S);
    private final Breakers breakers = new Breakers(new BreakerSettings(true, Duration.ofSeconds(60), 10, 50,
            Duration.ofSeconds(30), Duration.ofSeconds(120)), clock::get);

    private void calls(long channel, String model, int n, CallResult result) {
        for (int i = 0; i < n; i++) {
            Permit p = breakers.admit(channel, model);
            assertEquals(Permit.PASS, p);
            breakers.record(channel, model, p, result);
        }
    }

    @Test
    void opensAtHalfErrorsWithTenRequestsThenProbesOnceAndClosesOnSuccess() {
        calls(1, "m", 5, CallResult.SUCCESS);
        calls(1, "m", 4, CallResult.FAILURE);
        assertNull(breakers.blocked(1, "m"), "9 requests are too few to judge");
        calls(1, "m", 1, CallResult.FAILURE);
        String why = breakers.blocked(1, "m");
        assertNotNull(why, "5 of 10 failed: open");
        assertTrue(why.contains("the circuit breaker of channel 1 is open (5 of 10 requests failed within 60 s); "
                + "next probe in 30 s"), why);
        assertEquals(Permit.DENY, breakers.admit(1, "m"));
        assertNull(breakers.blocked(2, "m"), "other channels are not concerned");

        clock.addAndGet(29 * S);
        assertEquals(Permit.DENY, breakers.admit(1, "m"));
        clock.addAndGet(S);
        assertNull(breakers.blocked(1, "m"), "a probe is due: routing may pick it");
        Permit probe = breakers.admit(1, "m");
        assertEquals(Permit.PROBE_BOTH, probe, "all calls were for m: its own breaker agrees with the channel's");
        assertEquals(Permit.DENY, breakers.admit(1, "m"), "one probe at a time");
        assertTrue(breakers.blocked(1, "m").contains("a probe is in flight"));
        breakers.record(1, "m", probe, CallResult.SUCCESS);
        assertNull(breakers.blocked(1, "m"));
        assertEquals(Permit.PASS, breakers.admit(1, "m"));
        // A fresh window: nine failures do not reopen it.
        calls(1, "m", 9, CallResult.FAILURE);
        assertNull(breakers.blocked(1, "m"));
    }

    @Test
    void aFailedProbeOpensAgainForTheFullTime() {
        calls(1, "m", 10, CallResult.FAILURE);
        clock.addAndGet(30 * S);
        Permit probe = breakers.admit(1, "m");
        assertEquals(Permit.PROBE_BOTH, probe);
        breakers.record(1, "m", probe, CallResult.FAILURE);
        assertTrue(breakers.blocked(1, "m").contains("(the probe failed); next probe in 30 s"),
                breakers.blocked(1, "m"));
        clock.addAndGet(30 * S);
        assertEquals(Permit.PROBE_BOTH, breakers.admit(1, "m"));
    }

    @Test
    void aProbeWithoutVerdictLetsTheNextOneThroughAtOnceAndALostOneAfterTheProbeTimeout() {
        calls(1, "m", 10, CallResult.FAILURE);
        clock.addAndGet(30 * S);
        Permit probe = breakers.admit(1, "m");
        breakers.record(1, "m", probe, CallResult.NONE);
        Permit next = breakers.admit(1, "m");
        assertEquals(Permit.PROBE_BOTH, next, "the client left: another probe may go");
        assertEquals(Permit.DENY, breakers.admit(1, "m"));
        clock.addAndGet(119 * S);
        assertEquals(Permit.DENY, breakers.admit(1, "m"));
        clock.addAndGet(S);
        assertEquals(Permit.PROBE_BOTH, breakers.admit(1, "m"), "a probe that never reported is replaced");
    }

    @Test
    void oldErrorsSlideOutOfTheWindow() {
        calls(1, "m", 9, CallResult.FAILURE);
        clock.addAndGet(61 * S);
        calls(1, "m", 9, CallResult.SUCCESS);
        calls(1, "m", 1, CallResult.FAILURE);
        assertNull(breakers.blocked(1, "m"), "1 of 10 within the last 60 s");
        calls(1, "m", 4, CallResult.FAILURE);
        calls(1, "m", 1, CallResult.SUCCESS);
        assertNull(breakers.blocked(1, "m"), "5 of 15: a third");
        calls(1, "m", 5, CallResult.FAILURE);
        assertNotNull(breakers.blocked(1, "m"), "10 of 20: half");
    }

    @Test
    void aModelTheUpstreamLacksOpensOnlyTheChannelAndModelBreaker() {
        calls(1, "gone", 10, CallResult.MODEL_FAILURE);
        String why = breakers.blocked(1, "gone");
        assertNotNull(why);
        assertTrue(why.contains("channel 1 for model gone"), why);
        assertNull(breakers.blocked(1, "other"), "the channel serves its other models");
        assertEquals(Permit.PASS, breakers.admit(1, "other"));
        assertEquals(Permit.DENY, breakers.admit(1, "gone"));
        clock.addAndGet(30 * S);
        Permit probe = breakers.admit(1, "gone");
        assertEquals(Permit.PROBE_MODEL, probe);
        breakers.record(1, "gone", probe, CallResult.SUCCESS);
        assertNull(breakers.blocked(1, "gone"));
    }

    @Test
    void channelFailuresCountForTheModelToo() {
        calls(1, "m", 10, CallResult.FAILURE);
        assertNotNull(breakers.blocked(1, "x"), "the channel breaker covers every model");
        clock.addAndGet(30 * S);
        Permit probe = breakers.admit(1, "m");
        assertEquals(Permit.PROBE_BOTH, probe, "both breakers are open: the call probes both");
        breakers.record(1, "m", probe, CallResult.SUCCESS);
        assertNull(breakers.blocked(1, "m"));
    }

    @Test
    void aStreamBrokenAfterItsStartCountsOneMoreErrorNotOneMoreRequest() {
        calls(1, "m", 10, CallResult.SUCCESS);
        for (int i = 0; i < 4; i++) {
            breakers.record(1, "m", Permit.PASS, CallResult.BROKEN);
        }
        assertNull(breakers.blocked(1, "m"), "4 of 10");
        breakers.record(1, "m", Permit.PASS, CallResult.BROKEN);
        assertTrue(breakers.blocked(1, "m").contains("(5 of 10 requests failed"), breakers.blocked(1, "m"));
    }

    @Test
    void resetClosesAndIdleModelBreakersAreSwept() {
        calls(1, "m", 10, CallResult.FAILURE);
        breakers.reset(1);
        assertNull(breakers.blocked(1, "m"));
        calls(2, "x", 1, CallResult.MODEL_FAILURE);
        clock.addAndGet(61 * S);
        breakers.sweep();
        assertEquals(Permit.PASS, breakers.admit(2, "x"));
    }

    @Test
    void offBreakersNeverRefuse() {
        Breakers off = Breakers.off();
        for (int i = 0; i < 100; i++) {
            off.record(1, "m", off.admit(1, "m"), CallResult.FAILURE);
        }
        assertNull(off.blocked(1, "m"));
        assertEquals(Permit.PASS, off.admit(1, "m"));
    }

    @Test
    void concurrentCallersGetExactlyOneProbe() throws Exception {
        calls(1, "m", 10, CallResult.FAILURE);
        clock.addAndGet(30 * S);
        ExecutorService pool = Executors.newFixedThreadPool(8);
        CountDownLatch go = new CountDownLatch(1);
        AtomicInteger probes = new AtomicInteger();
        for (int i = 0; i < 8; i++) {
            pool.submit(() -> {
                go.await();
                for (int j = 0; j < 1000; j++) {
                    if (breakers.admit(1, "m") != Permit.DENY) {
                        probes.incrementAndGet();
                    }
                }
                return null;
            });
        }
        go.countDown();
        pool.shutdown();
        assertTrue(pool.awaitTermination(10, TimeUnit.SECONDS));
        assertEquals(1, probes.get());
    }

    @Test
    void theWindowCountsUnderContention() throws Exception {
        ErrorWindow w = new ErrorWindow(60 * S);
        ExecutorService pool = Executors.newFixedThreadPool(4);
        for (int i = 0; i < 4; i++) {
            pool.submit(() -> {
                for (int j = 0; j < 10_000; j++) {
                    w.add(clock.get(), 1, j % 2);
                }
            });
        }
        pool.shutdown();
        assertTrue(pool.awaitTermination(10, TimeUnit.SECONDS));
        assertEquals(40_000, w.requests(clock.get()));
        assertEquals(20_000, w.errors(clock.get()));
    }
}
