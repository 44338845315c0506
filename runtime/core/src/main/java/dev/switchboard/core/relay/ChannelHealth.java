package dev.switchboard.core.relay;

import dev.switchboard.core.monitor.CallResult;
import dev.switchboard.core.monitor.Permit;

/**
 * What the relay reports about a channel's health, and asks before it sends a call. Every method but
 * {@link #autoDisable} runs on the request's path and must not block.
 */
@FunctionalInterface
public interface ChannelHealth {

    /**
     * The vendor refused the channel's key or account: take the channel out of routing until an operator (or a
     * successful probe) enables it again. Called before the request is answered; cheap once disabled.
     *
     * @param channelId the channel
     * @param reason the vendor's message, shown as the channel's status reason
     */
    void autoDisable(long channelId, String reason);

    /**
     * @param channelId a channel about to get a call
     * @param model the model asked for
     * @return whether the circuit breakers let it through, and as their probe or not
     */
    default Permit admit(long channelId, String model) {
        return Permit.PASS;
    }

    /**
     * @param channelId a channel the breakers refused
     * @param model the model asked for
     * @return why, for the client's error
     */
    default String blocked(long channelId, String model) {
        return "channel " + channelId + " is skipped by its circuit breaker";
    }

    /**
     * @param channelId the channel
     * @param model the model asked for
     * @param permit what {@link #admit} granted the call
     * @param result how the call ended
     */
    default void record(long channelId, String model, Permit permit, CallResult result) {
    }

    /**
     * @param channelId the channel
     * @param millis time from sending a call to its answer's first byte
     */
    default void responseTime(long channelId, long millis) {
    }
}
