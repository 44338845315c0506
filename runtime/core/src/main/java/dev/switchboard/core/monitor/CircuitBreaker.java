package dev.switchboard.core.monitor;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * One circuit breaker. Closed, it counts requests and errors over its window and opens when the error rate
 * reaches the threshold with enough requests. Open, it refuses calls until its open time has passed; then it lets
 * one call through as a probe (half-open): success closes it with a fresh window, failure opens it again. The
 * state is one immutable value swapped by compare-and-set, so deciding never takes a lock.
 */
final class CircuitBreaker {

    enum Kind { CLOSED, OPEN, PROBING }

    /** The state, and since when (clock nanoseconds), and why it opened. */
    record State(Kind kind, long since, String why) {
    }

    private static final State CLOSED = new State(Kind.CLOSED, 0, null);

    private final BreakerSettings settings;
    private final ErrorWindow window;
    private final AtomicReference<State> state = new AtomicReference<>(CLOSED);

    CircuitBreaker(BreakerSettings settings) {
        this.settings = settings;
        this.window = new ErrorWindow(settings.window().toNanos());
    }

    State state() {
        return state.get();
    }

    /** @param now the clock @return whether a call could go through now (closed, or a probe is due) */
    boolean passable(long now) {
        State s = state.get();
        return switch (s.kind()) {
            case CLOSED -> true;
            case OPEN -> now - s.since() >= settings.openFor().toNanos();
            case PROBING -> now - s.since() >= settings.probeTimeout().toNanos();
        };
    }

    /**
     * @param now the clock
     * @return 0 to refuse, 1 to let a call through, 2 to let it through as the probe
     */
    int admit(long now) {
        State s = state.get();
        switch (s.kind()) {
            case CLOSED:
                return 1;
            case OPEN:
                if (now - s.since() >= settings.openFor().toNanos()
                        && state.compareAndSet(s, new State(Kind.PROBING, now, s.why()))) {
                    return 2;
                }
                return 0;
            default:
                // A probe that never reported (its request vanished) must not keep the channel out for good.
                if (now - s.since() >= settings.probeTimeout().toNanos()
                        && state.compareAndSet(s, new State(Kind.PROBING, now, s.why()))) {
                    return 2;
                }
                return 0;
        }
    }

    /**
     * Records how a call ended.
     *
     * @param now the clock
     * @param probe whether the call was this breaker's probe
     * @param requests 1 for a call's first verdict, 0 for a later error of a call already counted
     * @param error whether it failed for the channel's own reasons; {@code null} for no verdict (the client left)
     * @return the new state when this call changed it, else {@code null}
     */
    State record(long now, boolean probe, int requests, Boolean error) {
        State s = state.get();
        if (probe) {
            if (s.kind() != Kind.PROBING) {
                return null;
            }
            State next = error == null ? new State(Kind.OPEN, now - settings.openFor().toNanos(), s.why())
                    : error ? new State(Kind.OPEN, now, "the probe failed")
                    : CLOSED;
            if (!state.compareAndSet(s, next)) {
                return null;
            }
            if (next == CLOSED) {
                window.clear();
            }
            return error == null ? null : next;
        }
        if (s.kind() != Kind.CLOSED || error == null) {
            // Calls let through before the breaker opened say nothing about the probe to come.
            return null;
        }
        window.add(now, requests, error ? 1 : 0);
        if (!error) {
            return null;
        }
        long total = window.requests(now);
        long errors = window.errors(now);
        if (total >= settings.minRequests() && errors * 100 >= (long) settings.errorRatePercent() * total) {
            State open = new State(Kind.OPEN, now, errors + " of " + total + " requests failed within "
                    + Breakers.text(settings.window()));
            if (state.compareAndSet(s, open)) {
                return open;
            }
        }
        return null;
    }

    /** @param now the clock @return whether nothing is counted and the breaker is closed */
    boolean idle(long now) {
        return state.get().kind() == Kind.CLOSED && window.requests(now) == 0;
    }

    /** Forgets the window of a closed breaker. */
    void clearIfClosed() {
        if (state.get().kind() == Kind.CLOSED) {
            window.clear();
        }
    }

    /** Closes the breaker and forgets its window. */
    void reset() {
        state.set(CLOSED);
        window.clear();
    }

    /** @param now the clock @return seconds until the next probe may go, at least 1 */
    long secondsToProbe(long now) {
        State s = state.get();
        long wait = s.since() + (s.kind() == Kind.OPEN ? settings.openFor() : settings.probeTimeout()).toNanos() - now;
        return Math.max(1, TimeUnit.NANOSECONDS.toSeconds(wait + 999_999_999L));
    }
}
