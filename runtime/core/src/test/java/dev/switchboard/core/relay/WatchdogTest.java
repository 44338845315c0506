package dev.switchboard.core.relay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Calls with different tick periods on one watchdog: each is looked at on its own period until it leaves. */
class WatchdogTest {

    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
    private final Watchdog watchdog = new Watchdog(scheduler);

    @AfterEach
    void stop() {
        watchdog.destroy();
        scheduler.shutdownNow();
    }

    /** A call that wants a look every {@code periodMs}, {@code looks} times, then ends. */
    private static final class Call implements Watchdog.Watched {
        final long periodNanos;
        final CountDownLatch done;
        final AtomicInteger seen = new AtomicInteger();
        volatile long next;

        Call(long periodMs, int looks) {
            periodNanos = TimeUnit.MILLISECONDS.toNanos(periodMs);
            done = new CountDownLatch(looks);
            next = System.nanoTime() + periodNanos;
        }

        @Override
        public long getExpireNanoTime() {
            return next;
        }

        @Override
        public boolean look() {
            seen.incrementAndGet();
            done.countDown();
            next = System.nanoTime() + periodNanos;
            return done.getCount() > 0;
        }
    }

    @Test
    void eachCallIsLookedAtOnItsOwnPeriodUntilItEnds() throws Exception {
        Call fast = new Call(20, 10);
        Call slow = new Call(300, 2);
        watchdog.watch(slow);
        watchdog.watch(fast);
        assertTrue(fast.done.await(5, TimeUnit.SECONDS), "the fast call got its 10 looks");
        assertTrue(slow.seen.get() <= 1, "the slow call is not looked at on the fast one's period: "
                + slow.seen.get());
        assertTrue(slow.done.await(5, TimeUnit.SECONDS), "the slow call got its 2 looks");
        Thread.sleep(100);
        assertEquals(10, fast.seen.get(), "a call that said it ended is not looked at again");
        assertEquals(0, watchdog.size());
    }

    @Test
    void aReleasedCallIsNotLookedAt() throws Exception {
        Call released = new Call(20, 1);
        Call kept = new Call(50, 3);
        watchdog.watch(released);
        watchdog.watch(kept);
        watchdog.release(released);
        assertTrue(kept.done.await(5, TimeUnit.SECONDS));
        assertEquals(0, released.seen.get());
    }
}
