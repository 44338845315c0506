package dev.switchboard.core.relay;

import dev.switchboard.core.store.ChannelTimeouts;
import java.time.Duration;

/**
 * The upstream timeouts of one call: the gateway's defaults, each replaced by the channel's own when it sets one.
 *
 * @param connect connecting to the upstream
 * @param firstByte until the upstream's answer starts
 * @param idle longest silence between two stream events
 * @param total longest the call may take
 */
record Timeouts(Duration connect, Duration firstByte, Duration idle, Duration total) {

    static Timeouts of(RelayLimits limits, ChannelTimeouts own) {
        if (own == null || own.isEmpty()) {
            return new Timeouts(null, limits.firstByte(), limits.idle(), limits.total());
        }
        return new Timeouts(own.connectMs() == null ? null : Duration.ofMillis(own.connectMs()),
                pick(own.firstByteMs(), limits.firstByte()), pick(own.idleMs(), limits.idle()),
                pick(own.totalMs(), limits.total()));
    }

    /** @param keepAlive the stream keep-alive interval @return how often the call's watchdog looks at its timers */
    Duration tick(Duration keepAlive) {
        long ms = Math.min(Math.min(1000, total.toMillis() / 4), Math.min(firstByte.toMillis() / 4,
                Math.min(idle.toMillis() / 4, keepAlive.toMillis() / 2)));
        return Duration.ofMillis(Math.max(20, ms));
    }

    private static Duration pick(Long ms, Duration fallback) {
        return ms == null ? fallback : Duration.ofMillis(ms);
    }
}
