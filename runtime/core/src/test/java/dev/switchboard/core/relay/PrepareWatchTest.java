package dev.switchboard.core.relay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A plugin's preparation that never completes is cut once, and a late completion changes nothing. */
class PrepareWatchTest {

    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
    private final List<String> seen = new CopyOnWriteArrayList<>();

    @AfterEach
    void stop() {
        scheduler.shutdownNow();
    }

    @Test
    void aStageThatNeverCompletesIsCutAndCancelled() throws Exception {
        CompletableFuture<String> never = new CompletableFuture<>();
        CountDownLatch cut = new CountDownLatch(1);
        PrepareWatch.await(never, Duration.ofMillis(50), scheduler, (v, f) -> seen.add("then " + v + " " + f),
                () -> {
                    seen.add("cut");
                    cut.countDown();
                });
        assertTrue(cut.await(10, TimeUnit.SECONDS), "the timer never fired");
        // The cancellation releases what waited on the stage; it does not run the continuation.
        assertTrue(never.isCancelled());
        never.complete("late");
        assertEquals(List.of("cut"), seen);
    }

    @Test
    void aStageCompletingInTimeGoesOnAndTheTimerNeverFires() throws Exception {
        CompletableFuture<String> later = new CompletableFuture<>();
        CountDownLatch done = new CountDownLatch(1);
        PrepareWatch.await(later, Duration.ofMillis(300), scheduler, (v, f) -> {
            seen.add("then " + v);
            done.countDown();
        }, () -> seen.add("cut"));
        later.complete("call");
        assertTrue(done.await(10, TimeUnit.SECONDS));
        // Well past the limit: the timer was cancelled.
        Thread.sleep(600);
        assertEquals(List.of("then call"), seen);
    }
}
