package dev.switchboard.api.provider;

import java.util.concurrent.CompletionStage;

/**
 * The core's asynchronous HTTP client, offered to adapters for side calls (token exchanges, balance and
 * model listings). Calls share the core's connection pool, honour the channel's proxy and time out by the
 * gateway's connect and total timeouts. Never block on the returned stage.
 */
public interface UpstreamClient {

    /**
     * Sends a side call.
     *
     * @param call the call
     * @return the answer, whatever its status; a stage failed with an {@link java.io.IOException} when no
     *     answer came (refused, reset, timed out)
     */
    CompletionStage<SideCall.Result> send(SideCall call);
}
