package dev.switchboard.core.relay;

/**
 * Where the relay reports each request once it is over, exactly once per request. Implementations must not
 * block: they run on the thread that finished the answer.
 */
@FunctionalInterface
public interface OutcomeSink {

    /** @param outcome what the request came to */
    void settle(Outcome outcome);
}
