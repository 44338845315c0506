package dev.switchboard.core.ratelimit;

import dev.switchboard.core.store.RateBudget;
import dev.switchboard.core.store.StoreException;
import dev.switchboard.core.store.TokenRecord;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Per-token limits: requests per minute ({@code rpm}), tokens per minute ({@code tpm}) and concurrent requests
 * ({@code max_concurrency}), each the token's own or else the gateway's default (0: none). Minutes slide (see
 * {@link SlidingWindow}). Tokens are known only once a request is over, so {@code tpm} refuses new requests while
 * the last minute's usage is at the limit, as OpenAI's does. Counted in memory without locks, per token id.
 *
 * <p>With several nodes on one database ({@link #shared}), windows are wall-clock minutes, the same on every node:
 * {@code rpm} is admitted from slices each node leases of the token's minute ({@link RequestLeases}), so the nodes
 * together never admit more than the limit; {@code tpm} counts are exchanged ({@link SharedCounts}).
 */
public final class RateLimits {

    private static final Logger LOG = LoggerFactory.getLogger(RateLimits.class);

    static final long MINUTE = TimeUnit.MINUTES.toNanos(1);

    private final int defaultRpm;
    private final int defaultTpm;
    private final int defaultConcurrency;
    private final long windowNanos;
    private final LongSupplier clock;
    private final Map<Long, TokenCounters> byToken = new ConcurrentHashMap<>();
    /** requests per minute leased from the shared database, or {@code null} on a single node */
    private final RequestLeases leases;

    /**
     * @param defaultRpm requests per minute of tokens without their own, 0 for none
     * @param defaultTpm tokens per minute of tokens without their own, 0 for none
     * @param defaultConcurrency concurrent requests of tokens without their own, 0 for none
     */
    public RateLimits(int defaultRpm, int defaultTpm, int defaultConcurrency) {
        this(defaultRpm, defaultTpm, defaultConcurrency, MINUTE, System::nanoTime);
    }

    RateLimits(int defaultRpm, int defaultTpm, int defaultConcurrency, long windowNanos, LongSupplier clock) {
        this(defaultRpm, defaultTpm, defaultConcurrency, windowNanos, clock, null);
    }

    RateLimits(int defaultRpm, int defaultTpm, int defaultConcurrency, long windowNanos, LongSupplier clock,
            RequestLeases leases) {
        this.leases = leases;
        this.defaultRpm = defaultRpm;
        this.defaultTpm = defaultTpm;
        this.defaultConcurrency = defaultConcurrency;
        this.windowNanos = windowNanos;
        this.clock = clock;
    }

    /**
     * Limits that hold across the nodes of one database: windows are wall-clock minutes, the same on every node;
     * requests are admitted from slices leased of each token's minute, and {@link SharedCounts} adds the other nodes'
     * token counts to this node's.
     *
     * @param defaultRpm requests per minute of tokens without their own, 0 for none
     * @param defaultTpm tokens per minute of tokens without their own, 0 for none
     * @param defaultConcurrency concurrent requests of tokens without their own (per node), 0 for none
     * @param budget the shared request budgets
     * @param ahead runs leases ahead of need, off the request path
     * @return the limits
     */
    public static RateLimits shared(int defaultRpm, int defaultTpm, int defaultConcurrency, RateBudget budget,
            Executor ahead) {
        return new RateLimits(defaultRpm, defaultTpm, defaultConcurrency, MINUTE,
                () -> TimeUnit.MILLISECONDS.toNanos(System.currentTimeMillis()), new RequestLeases(budget, ahead));
    }

    /** @return limits that let everything through */
    public static RateLimits none() {
        return new RateLimits(0, 0, 0);
    }

    static final class TokenCounters {
        final SlidingWindow requests;
        final SlidingWindow tokens;
        final AtomicInteger inFlight = new AtomicInteger();

        TokenCounters(long windowNanos) {
            requests = new SlidingWindow(windowNanos);
            tokens = new SlidingWindow(windowNanos);
        }
    }

    long now() {
        return clock.getAsLong();
    }

    long windowNanos() {
        return windowNanos;
    }

    Map<Long, TokenCounters> counters() {
        return byToken;
    }

    TokenCounters counters(long tokenId) {
        TokenCounters c = byToken.get(tokenId);
        return c != null ? c : byToken.computeIfAbsent(tokenId, id -> new TokenCounters(windowNanos));
    }

    /**
     * Admits a request of a token, or says why not; or, with {@code mayWait} false, says that it {@link
     * Decision#mustWait() must wait} when only a lease from the shared database can decide. An admitted request
     * holding a concurrency slot must {@link Decision#release()} it when it ends.
     *
     * @param t the token
     * @param mayWait whether the calling thread may wait for the database
     * @return the decision
     */
    public Decision admit(TokenRecord t, boolean mayWait) {
        int rpm = t.rpm() != null ? t.rpm() : defaultRpm;
        int tpm = t.tpm() != null ? t.tpm() : defaultTpm;
        int concurrency = t.maxConcurrency() != null ? t.maxConcurrency() : defaultConcurrency;
        if (rpm <= 0 && tpm <= 0 && concurrency <= 0) {
            return Decision.UNLIMITED;
        }
        long now = clock.getAsLong();
        TokenCounters c = counters(t.id());
        if (tpm > 0 && c.tokens.estimate(now) >= tpm) {
            return refuse(c, t.id(), now, rpm, tpm, c.tokens.nanosUntilRoom(now, tpm), "this token used its " + tpm
                    + " tokens per minute (tpm)");
        }
        Runnable release = null;
        if (concurrency > 0) {
            if (c.inFlight.incrementAndGet() > concurrency) {
                c.inFlight.decrementAndGet();
                return refuse(c, t.id(), now, rpm, tpm, TimeUnit.SECONDS.toNanos(1), "this token has " + concurrency
                        + " request" + (concurrency == 1 ? "" : "s") + " in flight, its max_concurrency");
            }
            release = c.inFlight::decrementAndGet;
        }
        RequestLeases.Take took = rpm > 0 ? takeRequest(t.id(), c, now, rpm, mayWait) : RequestLeases.Take.TAKEN;
        if (took == RequestLeases.Take.EMPTY) {
            if (release != null) {
                release.run();
            }
            return Decision.MUST_WAIT;
        }
        if (took == RequestLeases.Take.SPENT) {
            if (release != null) {
                release.run();
            }
            long wait = leases != null ? untilNextWindow(now) : c.requests.nanosUntilRoom(now, rpm);
            return refuse(c, t.id(), now, rpm, tpm, wait, "this token made its " + rpm + " requests per minute (rpm)");
        }
        return decision(true, null, 0, c, t.id(), now, rpm, tpm, release);
    }

    /**
     * Takes one of a token's requests per minute: from this node's window, or from its leased slice.
     *
     * @return taken or spent; empty only when the slice is and the caller may not wait for the next lease
     */
    private RequestLeases.Take takeRequest(long tokenId, TokenCounters c, long now, int rpm, boolean mayWait) {
        if (leases == null) {
            return taken(c.requests.tryAcquire(now, rpm));
        }
        long window = Math.floorDiv(now, windowNanos);
        try {
            return mayWait ? taken(leases.tryAcquire(tokenId, window, rpm)) : leases.tryTake(tokenId, window, rpm);
        } catch (StoreException e) {
            // A database outage: this node counts alone meanwhile, as with the exchanged token counts.
            LOG.debug("leasing requests of token {} failed: {}", tokenId, e.getMessage());
            return taken(c.requests.tryAcquire(now, rpm));
        }
    }

    private static RequestLeases.Take taken(boolean taken) {
        return taken ? RequestLeases.Take.TAKEN : RequestLeases.Take.SPENT;
    }

    private long untilNextWindow(long now) {
        return (Math.floorDiv(now, windowNanos) + 1) * windowNanos - now;
    }

    private Decision refuse(TokenCounters c, long tokenId, long now, int rpm, int tpm, long wait, String why) {
        return decision(false, "rate limit exceeded: " + why + "; retry in "
                + Math.max(1, TimeUnit.NANOSECONDS.toSeconds(wait + 999_999_999L)) + " s", wait, c, tokenId, now, rpm,
                tpm, null);
    }

    private Decision decision(boolean allowed, String refusal, long wait, TokenCounters c, long tokenId, long now,
            int rpm, int tpm, Runnable release) {
        long requestsLeft = 0;
        long requestsReset = 0;
        if (rpm > 0 && leases != null) {
            requestsLeft = leases.left(tokenId, Math.floorDiv(now, windowNanos), rpm);
            requestsReset = untilNextWindow(now);
        } else if (rpm > 0) {
            requestsLeft = Math.max(0, (long) Math.floor(rpm - c.requests.estimate(now)));
            requestsReset = c.requests.nanosUntilEmpty(now);
        }
        long tokensLeft = tpm > 0 ? Math.max(0, (long) Math.floor(tpm - c.tokens.estimate(now))) : 0;
        return new Decision(allowed, refusal, wait, rpm > 0 ? rpm : -1, requestsLeft, requestsReset,
                tpm > 0 ? tpm : -1, tokensLeft, tpm > 0 ? c.tokens.nanosUntilEmpty(now) : 0, release);
    }

    /**
     * Counts the tokens a finished request used against its token's {@code tpm}.
     *
     * @param tokenId the token
     * @param tokens prompt and completion tokens
     */
    public void consumed(long tokenId, long tokens) {
        if (tokens > 0 && (defaultTpm > 0 || byToken.containsKey(tokenId))) {
            counters(tokenId).tokens.add(clock.getAsLong(), tokens);
        }
    }

    /** @param tokenId a deleted token: forget its counters */
    public void forget(long tokenId) {
        byToken.remove(tokenId);
        if (leases != null) {
            leases.forget(tokenId);
        }
    }
}
