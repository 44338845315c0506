package dev.switchboard.core.ratelimit;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BiConsumer;

/**
 * What the rate limits said to one request: whether it may go, the {@code x-ratelimit-*} headers to answer with,
 * and, for a request that holds a concurrency slot, how to give it back.
 */
public final class Decision {

    /** A token without limits: no headers, nothing to release. */
    static final Decision UNLIMITED = new Decision(true, null, 0, -1, 0, 0, -1, 0, 0, null);
    /** Not decided: only the shared database can say, and the caller may not wait for it (nothing held). */
    static final Decision MUST_WAIT = new Decision(false, null, 0, -1, 0, 0, -1, 0, 0, null);

    private final boolean allowed;
    private final String refusal;
    private final long retryAfterNanos;
    private final long requestLimit;
    private final long requestsLeft;
    private final long requestsResetNanos;
    private final long tokenLimit;
    private final long tokensLeft;
    private final long tokensResetNanos;
    private final Runnable release;
    private final AtomicBoolean released = new AtomicBoolean();

    Decision(boolean allowed, String refusal, long retryAfterNanos, long requestLimit, long requestsLeft,
            long requestsResetNanos, long tokenLimit, long tokensLeft, long tokensResetNanos, Runnable release) {
        this.allowed = allowed;
        this.refusal = refusal;
        this.retryAfterNanos = retryAfterNanos;
        this.requestLimit = requestLimit;
        this.requestsLeft = requestsLeft;
        this.requestsResetNanos = requestsResetNanos;
        this.tokenLimit = tokenLimit;
        this.tokensLeft = tokensLeft;
        this.tokensResetNanos = tokensResetNanos;
        this.release = release;
    }

    /** @return whether the request may go on */
    public boolean allowed() {
        return allowed;
    }

    /**
     * @return whether nothing was decided because the token's slice of the minute is empty and leasing the next
     *         waits for the shared database: ask again with {@code mayWait} where waiting is allowed
     */
    public boolean mustWait() {
        return this == MUST_WAIT;
    }

    /** @return why it may not, naming the limit, or {@code null} */
    public String refusal() {
        return refusal;
    }

    /** @return whole seconds to wait before retrying (the {@code Retry-After} value), at least 1 */
    public long retryAfterSeconds() {
        return Math.max(1, TimeUnit.NANOSECONDS.toSeconds(retryAfterNanos + 999_999_999L));
    }

    /**
     * Passes the {@code x-ratelimit-*} headers (OpenAI's names) for the limits the token has.
     *
     * @param header takes a header name and value
     */
    public void headers(BiConsumer<String, String> header) {
        if (requestLimit >= 0) {
            header.accept("x-ratelimit-limit-requests", Long.toString(requestLimit));
            header.accept("x-ratelimit-remaining-requests", Long.toString(requestsLeft));
            header.accept("x-ratelimit-reset-requests", text(requestsResetNanos));
        }
        if (tokenLimit >= 0) {
            header.accept("x-ratelimit-limit-tokens", Long.toString(tokenLimit));
            header.accept("x-ratelimit-remaining-tokens", Long.toString(tokensLeft));
            header.accept("x-ratelimit-reset-tokens", text(tokensResetNanos));
        }
    }

    /** Gives back the request's concurrency slot; later calls do nothing. */
    public void release() {
        if (release != null && released.compareAndSet(false, true)) {
            release.run();
        }
    }

    /** @return a duration the way OpenAI writes it in these headers: {@code 0s}, {@code 17s}, {@code 1m30s} */
    static String text(long nanos) {
        long s = Math.max(0, TimeUnit.NANOSECONDS.toSeconds(nanos + 999_999_999L));
        return s >= 60 ? s / 60 + "m" + s % 60 + "s" : s + "s";
    }
}
