package dev.switchboard.core.relay;

import dev.switchboard.core.upstream.HttpClients;
import java.util.concurrent.ScheduledExecutorService;

/**
 * What every exchange shares.
 *
 * @param limits limits and timeouts
 * @param clients the upstream HTTP clients
 * @param scheduler runs the exchanges' watchdogs
 * @param outcomes where finished requests are reported
 * @param health what the relay tells about channels' health
 * @param admission the accounting's check and pre-consumption before dispatch
 * @param meter counts the streams open to clients and the requests refused before their token was known
 * @param plugins times the plugins' calls on the relay's threads
 */
public record RelayContext(RelayLimits limits, HttpClients clients, ScheduledExecutorService scheduler,
        OutcomeSink outcomes, ChannelHealth health, Admission admission, RelayMeter meter, PluginClock plugins) {

    /** A context whose slow plugin calls are counted by {@code meter}. */
    public RelayContext(RelayLimits limits, HttpClients clients, ScheduledExecutorService scheduler,
            OutcomeSink outcomes, ChannelHealth health, Admission admission, RelayMeter meter) {
        this(limits, clients, scheduler, outcomes, health, admission, meter, new PluginClock(meter));
    }

    /** A context that counts nothing. */
    public RelayContext(RelayLimits limits, HttpClients clients, ScheduledExecutorService scheduler,
            OutcomeSink outcomes, ChannelHealth health, Admission admission) {
        this(limits, clients, scheduler, outcomes, health, admission, RelayMeter.NONE);
    }
}
