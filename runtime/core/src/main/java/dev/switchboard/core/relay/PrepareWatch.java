package dev.switchboard.core.relay;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BiConsumer;

/**
 * Waits for an adapter's {@code prepare} stage without a thread, and cuts one that does not complete in time (a
 * side call the plugin never finishes, a stage it forgot to complete). For stages not yet complete: a
 * synchronous adapter's completed stage needs no watch.
 */
final class PrepareWatch {

    private PrepareWatch() {
    }

    /**
     * @param stage the adapter's stage
     * @param limit how long it may take
     * @param scheduler runs the timer
     * @param then what to do with its result, at most once, unless the timer fired first
     * @param cut what to do when the limit passes first; the stage is then cancelled when it can be, which
     *     releases what waits on it
     * @param <T> the result type
     */
    static <T> void await(CompletionStage<T> stage, Duration limit, ScheduledExecutorService scheduler,
            BiConsumer<T, Throwable> then, Runnable cut) {
        AtomicBoolean once = new AtomicBoolean();
        ScheduledFuture<?> timer = scheduler.schedule(() -> {
            if (once.compareAndSet(false, true)) {
                if (stage instanceof CompletableFuture<T> f) {
                    f.cancel(false);
                }
                cut.run();
            }
        }, Math.max(1, limit.toMillis()), TimeUnit.MILLISECONDS);
        stage.whenComplete((v, failure) -> {
            if (once.compareAndSet(false, true)) {
                timer.cancel(false);
                then.accept(v, failure);
            }
        });
    }
}
