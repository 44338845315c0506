package dev.switchboard.core.relay;

import dev.switchboard.core.channel.Channels;
import dev.switchboard.core.monitor.Breakers;
import dev.switchboard.core.monitor.CallResult;
import dev.switchboard.core.monitor.Permit;

/** The relay's view of channel health: auto-disable in the registry, circuit breakers, response times. */
public final class MonitoredHealth implements ChannelHealth {

    private final Channels channels;
    private final Breakers breakers;

    /**
     * @param channels the channel registry
     * @param breakers the circuit breakers
     */
    public MonitoredHealth(Channels channels, Breakers breakers) {
        this.channels = channels;
        this.breakers = breakers;
    }

    @Override
    public void autoDisable(long channelId, String reason) {
        channels.autoDisable(channelId, reason);
    }

    @Override
    public Permit admit(long channelId, String model) {
        return breakers.admit(channelId, model);
    }

    @Override
    public String blocked(long channelId, String model) {
        String why = breakers.blocked(channelId, model);
        return why != null ? why : "the circuit breaker of channel " + channelId + " is half-open; a probe is in flight";
    }

    @Override
    public void record(long channelId, String model, Permit permit, CallResult result) {
        breakers.record(channelId, model, permit, result);
    }

    @Override
    public void responseTime(long channelId, long millis) {
        channels.observeResponseTime(channelId, millis);
    }
}
