package dev.switchboard.core.monitor;

import java.time.Duration;

/**
 * When a circuit breaker opens and for how long.
 *
 * @param enabled whether breakers act at all
 * @param window how far back errors are counted
 * @param minRequests fewest requests in the window before the error rate counts
 * @param errorRatePercent the error rate (percent of requests in the window) that opens the breaker
 * @param openFor how long an open breaker skips its channel before one probe goes through
 * @param probeTimeout how long a probe may stay unanswered before another one is let through
 */
public record BreakerSettings(boolean enabled, Duration window, int minRequests, int errorRatePercent,
        Duration openFor, Duration probeTimeout) {

    /** Breakers that never open. */
    public static final BreakerSettings OFF = new BreakerSettings(false, Duration.ofSeconds(60), 10, 50,
            Duration.ofSeconds(30), Duration.ofSeconds(30));
}
