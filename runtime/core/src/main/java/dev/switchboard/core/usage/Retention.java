package dev.switchboard.core.usage;

import dev.switchboard.core.settings.RuntimeSettings;
import dev.switchboard.core.store.Store;
import java.time.Clock;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Log retention: removes entries older than {@code logs.retention_days}, in changes of at most
 * {@value #CHUNK} entries so the store's writer is never held long. Run by a background job every
 * {@code logs.retention_check}, and by {@code DELETE /api/logs?before=}.
 */
public final class Retention implements Runnable {

    private static final Logger LOG = LoggerFactory.getLogger(Retention.class);
    static final int CHUNK = 10_000;

    private final Store store;
    private final LongSupplier retentionSeconds;
    private final Clock clock;

    /**
     * @param store the store
     * @param settings where the retention is set
     * @param clock the time
     */
    public Retention(Store store, RuntimeSettings settings, Clock clock) {
        this(store, settings::retentionSeconds, clock);
    }

    Retention(Store store, LongSupplier retentionSeconds, Clock clock) {
        this.store = store;
        this.retentionSeconds = retentionSeconds;
        this.clock = clock;
    }

    @Override
    public void run() {
        try {
            long removed = removeBefore(clock.millis() / 1000 - retentionSeconds.getAsLong());
            if (removed > 0) {
                LOG.info("log retention: removed {} entries older than {} s", removed, retentionSeconds.getAsLong());
            }
        } catch (RuntimeException e) {
            LOG.warn("log retention failed: {}", e.toString());
        }
    }

    /**
     * @param beforeSeconds entries created before this unix time go
     * @return how many were removed
     */
    public long removeBefore(long beforeSeconds) {
        long before = Math.max(0, beforeSeconds) * 1_000_000;
        long total = 0;
        while (true) {
            int n;
            try {
                n = store.deleteLogsBefore(before, CHUNK).toCompletableFuture().get(5, TimeUnit.MINUTES);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return total;
            } catch (Exception e) {
                throw new IllegalStateException("removing old log entries failed: " + e.getMessage(), e);
            }
            total += n;
            if (n < CHUNK) {
                return total;
            }
        }
    }
}
