package dev.switchboard.core.ratelimit;

import java.util.concurrent.atomic.AtomicReference;

/**
 * A sliding-window counter: counts per fixed window, estimating the last window's length as the current count
 * plus the previous window's count weighted by how much of it still overlaps. One immutable value swapped by
 * compare-and-set, so counting never takes a lock. With several nodes, the other nodes' counts of the same windows
 * (exchanged every few hundred milliseconds, see {@link SharedCounts}) are added to this node's own.
 */
final class SlidingWindow {

    /** The counts of the window numbered {@code index} and of the one before it. */
    private record Counts(long index, long previous, long current) {
    }

    private final long windowNanos;
    private static final Counts NONE = new Counts(Long.MIN_VALUE, 0, 0);

    private final AtomicReference<Counts> counts = new AtomicReference<>(NONE);
    private volatile Counts others = NONE;

    SlidingWindow(long windowNanos) {
        this.windowNanos = windowNanos;
    }

    private Counts at(long now) {
        long index = Math.floorDiv(now, windowNanos);
        Counts c = counts.get();
        if (c.index() == index) {
            return c;
        }
        return new Counts(index, c.index() == index - 1 ? c.current() : 0, 0);
    }

    /** This node's counts plus the other nodes', at the window {@code now} falls in. */
    private Counts combined(long now) {
        return plusOthers(at(now));
    }

    private Counts plusOthers(Counts c) {
        Counts o = others;
        if (o == NONE) {
            return c;
        }
        long previous = o.index() == c.index() ? o.previous() : o.index() == c.index() - 1 ? o.current() : 0;
        long current = o.index() == c.index() ? o.current() : 0;
        return new Counts(c.index(), c.previous() + previous, c.current() + current);
    }

    /**
     * @param now the clock
     * @return this node's own counts: the window's number, the previous window's count and the current one's
     */
    long[] own(long now) {
        Counts c = at(now);
        return new long[] {c.index(), c.previous(), c.current()};
    }

    /**
     * @param index a window's number
     * @param previous what the other nodes counted in the window before it
     * @param current what they counted in it
     */
    void othersCounted(long index, long previous, long current) {
        others = previous == 0 && current == 0 ? NONE : new Counts(index, previous, current);
    }

    private double fraction(long now, long index) {
        return (double) (now - index * windowNanos) / windowNanos;
    }

    /** @param now the clock @return the estimated count over the last window's length */
    double estimate(long now) {
        Counts c = combined(now);
        return c.previous() * (1 - fraction(now, c.index())) + c.current();
    }

    /**
     * Counts one more when that keeps the estimate within the limit.
     *
     * @param now the clock
     * @param limit the most the window may hold
     * @return whether it was counted
     */
    boolean tryAcquire(long now, long limit) {
        while (true) {
            Counts seen = counts.get();
            Counts c = at(now);
            Counts all = plusOthers(c);
            double est = all.previous() * (1 - fraction(now, c.index())) + all.current();
            if (est + 1 > limit) {
                return false;
            }
            if (counts.compareAndSet(seen, new Counts(c.index(), c.previous(), c.current() + 1))) {
                return true;
            }
        }
    }

    /**
     * Counts an amount whatever the limit (tokens, known once a request is over).
     *
     * @param now the clock
     * @param amount what to add
     */
    void add(long now, long amount) {
        while (true) {
            Counts seen = counts.get();
            Counts c = at(now);
            if (counts.compareAndSet(seen, new Counts(c.index(), c.previous(), c.current() + amount))) {
                return;
            }
        }
    }

    /**
     * @param now the clock
     * @param limit the limit
     * @return nanoseconds until one more fits within the limit, 0 when it fits now
     */
    long nanosUntilRoom(long now, long limit) {
        Counts c = combined(now);
        double f = fraction(now, c.index());
        double room = limit - 1;
        if (c.current() > room) {
            // Only once this window is the previous one, and enough of it has slid out.
            double needed = 1 - room / c.current();
            return (long) Math.ceil((1 - f + needed) * windowNanos);
        }
        if (c.previous() == 0 || c.previous() * (1 - f) + c.current() <= room) {
            return 0;
        }
        double needed = 1 - (room - c.current()) / c.previous();
        return Math.max(0, (long) Math.ceil((needed - f) * windowNanos));
    }

    /** @param now the clock @return nanoseconds until the window counts nothing again */
    long nanosUntilEmpty(long now) {
        Counts c = combined(now);
        if (c.current() > 0) {
            return (c.index() + 2) * windowNanos - now;
        }
        return c.previous() > 0 ? (c.index() + 1) * windowNanos - now : 0;
    }
}
