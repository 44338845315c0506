package dev.switchboard.core.relay;

/** What the relay reports about a channel's health. */
@FunctionalInterface
public interface ChannelHealth {

    /**
     * The vendor refused the channel's key or account: take the channel out of routing until an operator (or a
     * successful probe) enables it again. Called off the request's thread.
     *
     * @param channelId the channel
     * @param reason the vendor's message, shown as the channel's status reason
     */
    void autoDisable(long channelId, String reason);
}
