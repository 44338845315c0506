package dev.switchboard.core.monitor;

/** How a call through a channel ended, as its breakers count it. */
public enum CallResult {
    /** The channel answered (a 2xx, or an error the caller caused). */
    SUCCESS,
    /** The channel failed for its own reasons: refused, reset, timed out, 5xx, 429, key or balance refused. */
    FAILURE,
    /** The upstream lacks the model: only the channel and model breaker counts it. */
    MODEL_FAILURE,
    /** An answer that had started well broke off (a stream cut mid-way): one more error, no new request. */
    BROKEN,
    /** No verdict: the client left before the channel answered. */
    NONE
}
