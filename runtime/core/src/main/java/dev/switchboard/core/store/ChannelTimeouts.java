package dev.switchboard.core.store;

/**
 * A channel's own upstream timeouts, in milliseconds; {@code null} keeps the gateway's default for that one.
 *
 * @param connectMs connecting to the upstream
 * @param firstByteMs until the upstream's answer starts
 * @param idleMs longest silence between two stream events
 * @param totalMs longest one upstream call may take
 */
public record ChannelTimeouts(Long connectMs, Long firstByteMs, Long idleMs, Long totalMs) {

    /** No override. */
    public static final ChannelTimeouts NONE = new ChannelTimeouts(null, null, null, null);

    /** @return whether nothing is overridden */
    public boolean isEmpty() {
        return connectMs == null && firstByteMs == null && idleMs == null && totalMs == null;
    }
}
