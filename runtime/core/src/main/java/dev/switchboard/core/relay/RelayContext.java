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
 * @param streams counts the streams open to clients
 */
public record RelayContext(RelayLimits limits, HttpClients clients, ScheduledExecutorService scheduler,
        OutcomeSink outcomes, ChannelHealth health, Admission admission, OpenStreams streams) {

    /** A context that counts no streams. */
    public RelayContext(RelayLimits limits, HttpClients clients, ScheduledExecutorService scheduler,
            OutcomeSink outcomes, ChannelHealth health, Admission admission) {
        this(limits, clients, scheduler, outcomes, health, admission, OpenStreams.NONE);
    }
}
