package dev.switchboard.core.relay;

import dev.switchboard.config.Settings;
import java.time.Duration;

/**
 * The relay's limits and timeouts, read once from the settings.
 *
 * @param maxBody largest JSON body
 * @param maxAudio largest multipart upload
 * @param maxDepth deepest JSON nesting
 * @param spoolThreshold multipart parts above this go to a temporary file
 * @param connect upstream connect timeout
 * @param firstByte time allowed until the upstream's answer starts
 * @param idle longest silence between stream events
 * @param total longest upstream call
 * @param keepAlive SSE comment interval on silent streams
 * @param maxAttempts most channels one request tries
 * @param retryOnTimeout whether a first-byte timeout moves on to another channel
 * @param maxTime longest a request may spend on its attempts before its answer starts
 */
public record RelayLimits(long maxBody, long maxAudio, int maxDepth, long spoolThreshold, Duration connect,
        Duration firstByte, Duration idle, Duration total, Duration keepAlive, int maxAttempts,
        boolean retryOnTimeout, Duration maxTime) {

    /** Limits whose attempts share no time bound beyond their own timeouts. */
    public RelayLimits(long maxBody, long maxAudio, int maxDepth, long spoolThreshold, Duration connect,
            Duration firstByte, Duration idle, Duration total, Duration keepAlive, int maxAttempts,
            boolean retryOnTimeout) {
        this(maxBody, maxAudio, maxDepth, spoolThreshold, connect, firstByte, idle, total, keepAlive, maxAttempts,
                retryOnTimeout, total.multipliedBy(Math.max(1, maxAttempts)));
    }

    /** @param s the settings @return the limits they set */
    public static RelayLimits from(Settings s) {
        return new RelayLimits(s.get(Settings.LIMITS_MAX_BODY), s.get(Settings.LIMITS_MAX_AUDIO),
                s.get(Settings.LIMITS_MAX_JSON_DEPTH), s.get(Settings.LIMITS_SPOOL_THRESHOLD),
                s.get(Settings.TIMEOUT_CONNECT), s.get(Settings.TIMEOUT_FIRST_BYTE), s.get(Settings.TIMEOUT_IDLE),
                s.get(Settings.TIMEOUT_TOTAL), s.get(Settings.STREAM_KEEPALIVE), s.get(Settings.RETRY_MAX_ATTEMPTS),
                s.get(Settings.RETRY_ON_TIMEOUT), s.get(Settings.RETRY_MAX_TIME));
    }

    /** @return how often an exchange's watchdog looks at its timers */
    Duration tick() {
        long ms = Math.min(1000, Math.min(firstByte.toMillis() / 4, Math.min(idle.toMillis() / 4,
                keepAlive.toMillis() / 2)));
        return Duration.ofMillis(Math.max(20, ms));
    }
}
