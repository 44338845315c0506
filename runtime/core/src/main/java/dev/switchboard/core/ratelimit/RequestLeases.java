package dev.switchboard.core.ratelimit;

import dev.switchboard.core.store.RateBudget;
import dev.switchboard.core.store.StoreException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This node's slices of its tokens' requests per wall-clock minute (several nodes on one PostgreSQL): requests are
 * admitted from the slice in memory; once less than half of the last slice is left the next is leased in the
 * background, and a request waits for the database only when the slice is empty and the minute may still have
 * budget. Slices are a twentieth of the limit (shrinking near the minute's end), so the nodes together never admit
 * more than the limit and what other nodes hold unused at the minute's end is a small part of it.
 */
final class RequestLeases {

    private static final Logger LOG = LoggerFactory.getLogger(RequestLeases.class);

    /** One token's slice of the current minute. */
    private static final class Slice {
        /** one lease of this token at a time, so requests waiting for one share it instead of each leasing */
        final ReentrantLock leasing = new ReentrantLock();
        long window = Long.MIN_VALUE;
        long left;
        long lastSlice;
        /** what all nodes took of the minute as last seen */
        long taken;
        /** the minute's budget is spent */
        boolean spent;
        boolean ahead;

        /** Under the monitor: starts afresh in a new minute. */
        void roll(long index) {
            if (window != index) {
                window = index;
                left = 0;
                lastSlice = 0;
                taken = 0;
                spent = false;
            }
        }
    }

    private final RateBudget budget;
    private final Executor ahead;
    private final Map<Long, Slice> byToken = new ConcurrentHashMap<>();

    /** @param budget the shared budgets @param ahead runs leases ahead of need, off the request path */
    RequestLeases(RateBudget budget, Executor ahead) {
        this.budget = budget;
        this.ahead = ahead;
    }

    private static long size(long limit) {
        return Math.max(1, limit / 20);
    }

    private Slice slice(long tokenId) {
        Slice s = byToken.get(tokenId);
        return s != null ? s : byToken.computeIfAbsent(tokenId, id -> new Slice());
    }

    /** What this node's slice says about one more request, without asking the database. */
    enum Take {
        /** taken from the slice */
        TAKEN,
        /** the minute's budget is spent */
        SPENT,
        /** the slice is empty: only a lease from the database can tell */
        EMPTY
    }

    /**
     * Takes one request of a token's minute from this node's slice; never waits.
     *
     * @param tokenId the token
     * @param window the current minute's number
     * @param limit the token's requests per minute
     * @return taken, spent, or empty (then {@link #tryAcquire} leases, waiting for the database)
     */
    Take tryTake(long tokenId, long window, long limit) {
        Slice s = slice(tokenId);
        synchronized (s) {
            s.roll(window);
            if (s.left > 0) {
                s.left--;
                leaseAheadIfLow(s, tokenId, window, limit);
                return Take.TAKEN;
            }
            return s.spent ? Take.SPENT : Take.EMPTY;
        }
    }

    /**
     * Takes one request of a token's minute, leasing the next slice from the database when this node's is empty.
     *
     * @param tokenId the token
     * @param window the current minute's number
     * @param limit the token's requests per minute
     * @return whether the request may go
     * @throws StoreException when the database cannot be reached and this node's slice is empty
     */
    boolean tryAcquire(long tokenId, long window, long limit) {
        Take now = tryTake(tokenId, window, limit);
        if (now != Take.EMPTY) {
            return now == Take.TAKEN;
        }
        Slice s = slice(tokenId);
        s.leasing.lock();
        try {
            synchronized (s) {
                // A lease another request (or the one ahead) waited for may have filled the slice meanwhile.
                s.roll(window);
                if (s.left > 0) {
                    s.left--;
                    return true;
                }
                if (s.spent) {
                    return false;
                }
            }
            RateBudget.Grant got = budget.leaseRequests(tokenId, window, limit, size(limit));
            synchronized (s) {
                credit(s, window, got);
                if (got.slice() > 0 && s.window == window) {
                    s.left--;
                }
            }
            // A slice leased for a minute that ended meanwhile still admits the request that waited for it.
            return got.slice() > 0;
        } finally {
            s.leasing.unlock();
        }
    }

    /** Under the monitor: adds a lease to the slice if its minute is still the current one. */
    private static void credit(Slice s, long window, RateBudget.Grant got) {
        if (s.window != window) {
            return;
        }
        s.left += got.slice();
        s.lastSlice = got.slice();
        s.taken = Math.max(s.taken, got.taken());
        s.spent = got.slice() == 0;
    }

    /** Under the monitor: leases the next slice in the background when this one runs low. */
    private void leaseAheadIfLow(Slice s, long tokenId, long window, long limit) {
        if (s.ahead || s.spent || s.left >= (s.lastSlice + 1) / 2) {
            return;
        }
        s.ahead = true;
        ahead.execute(() -> {
            s.leasing.lock();
            try {
                synchronized (s) {
                    if (s.window != window || s.spent || s.left >= (s.lastSlice + 1) / 2) {
                        return;
                    }
                }
                RateBudget.Grant got = budget.leaseRequests(tokenId, window, limit, size(limit));
                synchronized (s) {
                    credit(s, window, got);
                }
            } catch (StoreException e) {
                LOG.debug("leasing requests of token {} ahead failed: {}", tokenId, e.getMessage());
            } finally {
                synchronized (s) {
                    s.ahead = false;
                }
                s.leasing.unlock();
            }
        });
    }

    /**
     * @param tokenId the token
     * @param window the current minute's number
     * @param limit the token's requests per minute
     * @return requests the minute has left as this node knows: the limit less what all nodes took, plus this node's
     *         unspent slice
     */
    long left(long tokenId, long window, long limit) {
        Slice s = slice(tokenId);
        synchronized (s) {
            return s.window != window ? limit : Math.max(0, Math.min(limit, limit - s.taken + s.left));
        }
    }

    /** @param tokenId a deleted token: forget its slice */
    void forget(long tokenId) {
        byToken.remove(tokenId);
    }
}
